"""Build step that pyproject.toml cannot express: the site's top-level folders go into the package.

``templates/``, ``static/`` and ``migrations/`` sit at the top of the source tree
(STYLE.md); a wheel copies them into ``komoro_engage/`` so an installed app finds
them (``komoro_engage.site_folder``). The translation catalogues are compiled
into the build too (``*.mo`` files are not kept in git). An editable install
(``pip install -e``) needs neither: it reads the source tree.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SITE_FOLDERS = ("templates", "static", "migrations")


class BuildWithSiteFolders(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        package = Path(self.build_lib) / "komoro_engage"
        for name in SITE_FOLDERS:
            target = package / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(HERE / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        self.compile_catalogues(package / "translations")

    def compile_catalogues(self, translations: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po_path in translations.glob("*/LC_MESSAGES/messages.po"):
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as mo_file:
                write_mo(mo_file, catalog)


setup(cmdclass={"build_py": BuildWithSiteFolders})
