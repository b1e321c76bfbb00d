"""Digests: short stable hashes of text and files, and the stamp of the software that
builds (sitegen and the libraries that shape the output). Light on purpose: the no-change
check of a rebuild uses them before anything heavy is imported."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache

from sitegen import __version__

_LIBRARIES = ("markdown", "pygments", "jinja2", "babel", "feedgen", "python-slugify", "pyyaml",
              "regex", "pillow")


def digest(*parts: str) -> str:
    """A short, stable hash of text parts. They are joined by NUL, which no part holds
    (content with a NUL byte is refused when read), so parts cannot run into each other."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"),
                           digest_size=16).hexdigest()


def file_digest(data: bytes, *context: str) -> str:
    """Hash of a file's bytes and the settings it is read with."""
    h = hashlib.blake2b(data, digest_size=16)
    h.update("\0".join(context).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def environment_stamp() -> str:
    """sitegen, Python and the versions of every library that shapes the output."""
    installed = _installed_versions()
    versions = [__version__, f"{sys.version_info[0]}.{sys.version_info[1]}"]
    versions += [f"{name}={installed.get(name, '?')}" for name in _LIBRARIES]
    return ";".join([*versions, _own_sources()])


def _own_sources() -> str:
    """sitegen's own modules as they are on disk: in a checkout or an editable install, an
    edit of sitegen itself changes what it builds, though its version does not change."""
    package = os.path.dirname(os.path.abspath(__file__))
    stats = []
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            info = os.stat(os.path.join(package, name))
            stats.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
    return digest(*stats)


def _installed_versions() -> dict[str, str]:
    """Versions from the names of the `*.dist-info` folders on sys.path: one listing per
    folder, where importlib.metadata would cost ~40 ms of every (even no-change) build."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                project, _, version = name[: -len(".dist-info")].rpartition("-")
                found.setdefault(project.lower().replace("_", "-"), version)
    return found
