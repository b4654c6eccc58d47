"""Ship the top-level ``resources/`` and ``projects/`` folders inside the package.

The project's layout keeps them at the top of the repository; an installed desk finds them as
``desk/resources`` and ``desk/projects`` (see ``desk.paths.shipped``). ``pyproject.toml`` holds
everything else; this mapping is the one thing its static form cannot say.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["desk", "desk.*"]), "desk.resources", "desk.projects"],
    package_dir={"desk.resources": "resources", "desk.projects": "projects"},
)
