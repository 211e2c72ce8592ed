"""Publish the generated docs tree: an engine builds its HTML, then our post-build stage and the swap.

`engines` turns the tree into HTML with MkDocs, ProperDocs or Zensical; `postbuild` secures every
page (`csp`), marks print URLs, writes the nginx sample and the PDFs; `staging` swaps the finished
site in at once; `pipeline` runs them in that order for `python -m generator build` and `serve`.
"""
