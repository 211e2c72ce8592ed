"""Put a finished build in place of the site folder in one step, or leave the old site untouched.

The staging folder `.site.building` sits next to `site` (same parent, so the same file system) and
the whole build is written there. `publish` renames the old site away to `.site.previous`, renames
the new one in and only then deletes the old one, so at every moment either the old site or the new
one is complete at `site`. `discard` deletes the staging folder. `.site.sources` beside them holds
the docs tree and the engine's configuration while an engine builds. A build killed halfway leaves
these folders behind; the next build tidies them up (`prepare`).
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)


class StagedSite:
    """A build written beside the site folder, replacing it in one step once the build succeeded."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir.resolve()
        self.staging_dir = self.site_dir.with_name(f".{self.site_dir.name}.building")
        self.previous_dir = self.site_dir.with_name(f".{self.site_dir.name}.previous")
        self.work_dir = self.site_dir.with_name(f".{self.site_dir.name}.sources")
        self.finished = False

    @classmethod
    def prepared_or_none(cls, site_dir: Path) -> StagedSite | None:
        """A prepared staging folder for `site_dir`, or None (with a warning) if there is no room."""
        staged = cls(site_dir)
        try:
            staged.prepare()
            return staged
        except OSError as error:  # say, a read-only folder around a writable site folder
            log.warning(
                f"Building straight into {staged.site_dir}: no room beside it for a staging "
                f"folder ({error.strerror or error}); a failed build may leave it half written."
            )
            return None

    def prepare(self) -> Path:
        """Tidy up after an earlier interrupted build; return the empty staging folder."""
        if self.previous_dir.exists():
            if self.site_dir.exists():
                remove(self.previous_dir)  # stopped after the new site was in place
            else:
                os.replace(self.previous_dir, self.site_dir)  # stopped between the two renames
        remove(self.staging_dir)
        remove(self.work_dir)
        self.staging_dir.mkdir(parents=True)
        return self.staging_dir

    def publish(self) -> None:
        """Put the finished build in place of the site folder."""
        remove(self.work_dir)
        if self.site_dir.exists():
            try:
                os.replace(self.site_dir, self.previous_dir)
            except OSError:  # a mount point cannot be renamed: replace what is inside it instead
                self._replace_contents()
                return
        os.replace(self.staging_dir, self.site_dir)
        remove(self.previous_dir)
        log.debug(f"The new site is in place at {self.site_dir}")

    def _replace_contents(self) -> None:
        # Not in one step, but only once the new site is complete: a failed build never gets here.
        for child in list(self.site_dir.iterdir()):
            remove(child)
        for child in list(self.staging_dir.iterdir()):
            shutil.move(child, self.site_dir / child.name)
        remove(self.staging_dir)

    def discard(self) -> None:
        """Delete a failed build; the site folder was never touched."""
        remove(self.staging_dir)
        remove(self.work_dir)
        log.info(f"The site folder {self.site_dir} was left as it was.")


def remove(path: Path) -> None:
    """Delete a file, a link or a whole folder, if it is there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
