"""`python -m generator build` and `serve`: the website built by the generator's own pipeline.

The sources are checked first, so a mistake is reported as `file:line:column: message` lines and the
command exits 1 before any engine starts. Any later failure leaves the site folder as it was too:
everything is built beside it and swapped in only once the whole build has succeeded.
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from generator.commands.options import EXIT_OK, EXIT_PROBLEMS, port, project_root


def register_commands(subparsers) -> None:
    from generator.publish.engines import DEFAULT_ENGINE, ENGINES

    build = subparsers.add_parser(
        "build",
        help="build the website into a folder (by default the same build as `mkdocs build`)",
        description="Check the sources, then build the whole website (pages, checker, form, "
        "PDFs) and swap it into the site folder at once. A failed build leaves the last site.",
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
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help=f"what turns the pages into HTML (default: {DEFAULT_ENGINE}, with Material)",
    )
    build.set_defaults(run=command_build)

    serve = subparsers.add_parser(
        "serve",
        help="preview the website, rebuilt whenever content/, forms/ or docs/ change",
        description="Serve a preview of the website on 127.0.0.1, under the published site's "
        "policy, and rebuild it whenever content/, forms/ or docs/ change (reload the page). "
        "Stop it with Ctrl+C.",
    )
    serve.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help=f"what turns the pages into HTML (default: {DEFAULT_ENGINE}, with Material)",
    )
    serve.add_argument(
        "--port", type=port, default=8000, help="the port on 127.0.0.1 to serve on (default: 8000)"
    )
    serve.set_defaults(run=command_serve)


def command_build(args) -> int:
    """Build the site with the chosen engine; say plainly what did not work."""
    from generator.publish import engines, pipeline

    root = project_root(args)
    site_dir = Path(args.site_dir)
    if not site_dir.is_absolute():
        site_dir = root / site_dir
    handler = _show_engine_warnings(args.engine)
    started = time.monotonic()
    try:
        built = pipeline.build_site(root, site_dir, engine=args.engine, strict=args.strict)
    except engines.EngineError as error:
        print(f"The website was not built: {error}", file=sys.stderr)
        if site_dir.exists():
            print(f"{site_dir} still holds the last website that built.", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        logging.getLogger(args.engine).removeHandler(handler)
    for note in built.notes:
        print(f"Note: {note}", file=sys.stderr)
    seconds = time.monotonic() - started
    print(f"Built {built.pages} pages into {site_dir} in {seconds:.2f} s. Engine: {args.engine}.")
    return EXIT_OK


def command_serve(args) -> int:
    """Serve a preview on 127.0.0.1 and rebuild it on every change; keep the last good one."""
    from generator.publish import preview

    return preview.serve(project_root(args), engine=args.engine, port=args.port)


def _show_engine_warnings(engine: str) -> logging.Handler:
    """Print the engine's warnings and errors (not its progress chatter) as `WARNING: message`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger(engine)
    logger.addHandler(handler)
    # Strict mode counts warnings through the logger; keep them flowing.
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler
