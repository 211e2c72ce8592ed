"""The engines that turn the generated docs tree into HTML: MkDocs, ProperDocs or Zensical.

Each is one module here with one `Engine` subclass (`base.py` says what an engine is); adding an
engine is one module and its line in `REGISTRY`. What an engine cannot do is said plainly (the notes
its `configure` and `build` return, its `limitations`), never skipped in silence.
"""

from __future__ import annotations

from generator.publish.engines.base import Engine, EngineError
from generator.publish.engines.mkdocs import MkDocsEngine
from generator.publish.engines.properdocs import ProperDocsEngine
from generator.publish.engines.zensical import ZensicalEngine

REGISTRY: dict[str, type[Engine]] = {
    engine.name: engine for engine in (MkDocsEngine, ProperDocsEngine, ZensicalEngine)
}
ENGINES = tuple(REGISTRY)
DEFAULT_ENGINE = MkDocsEngine.name

__all__ = ["DEFAULT_ENGINE", "ENGINES", "REGISTRY", "Engine", "EngineError", "get_engine"]


def get_engine(name: str) -> Engine:
    """The engine called `name`, or EngineError naming the ones there are."""
    try:
        return REGISTRY[name]()
    except KeyError:
        raise EngineError(f"unknown engine {name!r}: use one of {', '.join(ENGINES)}") from None
