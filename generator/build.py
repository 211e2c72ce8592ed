"""`python -m generator build`: build the website with MkDocs, exactly as `mkdocs build` does.

The sources are checked first, so a mistake is reported as `file:line:column: message` lines and the
command exits 1 before MkDocs is even started. A later failure leaves the site folder as it was too:
the plugin builds beside it and swaps the new site in only once the whole build has succeeded.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from generator.load import load_project

EXIT_OK, EXIT_PROBLEMS = 0, 1


def register_commands(subparsers) -> None:
    build = subparsers.add_parser(
        "build", help="build the website into a folder (the same build as `mkdocs build`)"
    )
    build.add_argument(
        "--site-dir",
        default="site",
        help="where to write the website, relative to --root (default: site)",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="stop on any warning, such as a link to a page that does not exist",
    )
    build.set_defaults(run=command_build)


def command_build(args) -> int:
    """Check the sources, then run the MkDocs build of the project's mkdocs.yml."""
    root = Path(args.root).resolve()
    site_dir = Path(args.site_dir)
    if not site_dir.is_absolute():
        site_dir = root / site_dir
    load_project(root)  # raises SourceError, which the CLI prints as located problems (exit 1)

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    handler = _show_mkdocs_warnings()
    started = time.monotonic()
    try:
        config = load_config(
            config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=args.strict
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, ConfigurationError) as error:
        print(f"The website was not built: {error}", file=sys.stderr)
        if site_dir.exists():
            print(f"{site_dir} still holds the last website that built.", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"Built {pages} pages into {site_dir} in {time.monotonic() - started:.2f} s.")
    return EXIT_OK


def _show_mkdocs_warnings() -> logging.Handler:
    """Print MkDocs' warnings and errors (not its progress chatter) as `WARNING: message`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(
        logging.INFO
    )  # strict mode counts warnings through the logger; keep them flowing
    logger.propagate = False
    return handler
