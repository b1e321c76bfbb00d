"""Finding and reading a site's content files: front matter split from body, lines kept.

Reading is forgiving where authors' tools differ (a BOM, CRLF line endings) and strict where a
silent guess would lose work (broken or unclosed front matter is an error, never body text).
"""

from __future__ import annotations

import os
from pathlib import Path

from sitegen.errors import Diagnostics
from sitegen.records import record
from sitegen.slugs import slugify
from sitegen.yamlread import YamlError, YamlMapping, load_mapping

CONTENT_DIR = "content"
KINDS = {"posts": "post", "pages": "page"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
MAX_FILE_BYTES = 4 * 1024 * 1024  # far above any real post; beyond it Markdown gets slow
_FENCE = "---"


@record
class SourceDoc:
    """One content file, read: front matter nodes and the Markdown body, with lines."""

    kind: str  # 'post' or 'page'
    path: Path  # absolute
    rel: Path  # relative to the site root, as shown in messages
    meta: YamlMapping
    body: str
    body_line: int  # file line where the body starts


class FrontMatterError(Exception):
    def __init__(self, line: int, message: str, hint: str = ""):
        self.line, self.message, self.hint = line, message, hint
        super().__init__(message)


def find_sources(root: Path, diag: Diagnostics) -> list[tuple[str, str]]:
    """Every post and page file under `root/content`, as (kind, path); paths are plain
    strings, since a large site has tens of thousands and most are only looked up."""
    found = [(kind, path) for kind_dir, kind in KINDS.items()
             for path in _markdown_files(root, root / CONTENT_DIR / kind_dir, diag)]
    _warn_stray_entries(root, diag)
    return found



def _warn_stray_entries(root: Path, diag: Diagnostics) -> None:
    content = root / CONTENT_DIR
    if not content.is_dir():
        return
    known = set(KINDS) | {"campaigns", "live"}  # the last two are read by their own stages
    for entry in sorted(content.iterdir()):
        if entry.name.startswith(".") or entry.name in known:
            continue
        diag.warn(entry, None, "not read: content/ holds posts/ and pages/",
                  "move it to content/posts/ or content/pages/, or images to static/")


def item_files(root: Path, folder_name: str, diag: Diagnostics | None,
               item: str) -> list[Path]:
    """The files of content/<folder_name>/ that hold one `item` each (live events, campaigns),
    by name; anything else there is reported to `diag` (when given) and skipped."""
    folder = root / CONTENT_DIR / folder_name
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir()):
        if is_editor_leftover(entry.name):
            continue
        if entry.is_dir() or entry.suffix.lower() not in MARKDOWN_SUFFIXES:
            if diag is not None:
                diag.warn(entry, None, f"not read: content/{folder_name}/ holds one .md file "
                          f"per {item}", f"name it content/{folder_name}/<id>.md")
            continue
        found.append(entry)
    return found


def is_editor_leftover(name: str) -> bool:
    """Editors' backup and lock files: never content, never worth a warning."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


def _markdown_files(root: Path, folder: Path, diag: Diagnostics) -> list[str]:
    if not folder.is_dir():
        return []
    found: list[str] = []
    _walk(str(folder), root.resolve(), diag, found)
    return found


def _walk(folder: str, real_root: Path, diag: Diagnostics, found: list[str]) -> None:
    """A folder's Markdown files in name order, then its sub-folders'. Plain strings and
    scandir (whose entries know their type without a system call): this runs over every file
    of the site on every build."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        diag.warn(Path(folder), None, f"cannot list: {exc.strerror or exc}")
        return
    folders = []
    for entry in entries:
        name, full = entry.name, entry.path
        if entry.is_dir(follow_symlinks=False):
            if not name.startswith("."):
                folders.append(full)
        elif entry.is_symlink() and os.path.isdir(full):  # os.walk did not follow them either
            if not name.startswith("."):
                diag.warn(Path(full), None, "symbolic link to a folder not followed",
                          "copy the folder into content/ instead")
        elif is_editor_leftover(name):
            continue
        elif os.path.splitext(name)[1].lower() not in MARKDOWN_SUFFIXES:
            diag.warn(Path(full), None, "not a Markdown file (.md), skipped",
                      "images and downloads belong in static/")
        elif entry.is_symlink() and not _inside(target := _link_target(Path(full)), real_root):
            diag.warn(Path(full), None, "symbolic link leads outside the site, not followed"
                      if target else "symbolic link loops, not followed")
        else:
            found.append(full)
    for sub in folders:
        _walk(sub, real_root, diag, found)


def _inside(path: Path | None, root: Path) -> bool:
    return path is not None and (path == root or root in path.parents)


def _link_target(path: Path) -> Path | None:
    """Where a symbolic link leads, or None for a loop of links (never inside the site)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python < 3.13 raises RuntimeError for a loop
        return None


def read_item(path: Path, root: Path, kind: str, noun: str,
              diag: Diagnostics) -> tuple[SourceDoc, str, bytes] | None:
    """A one-file-per-item source (a live event, a campaign): its document, its id (the file
    name, which is its address) and its bytes; None, with the problem reported, when it
    cannot be read or its name cannot be an address. `noun` names the item in messages."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        diag.error(path, None, f"cannot read: {exc.strerror or exc}")
        return None
    doc = read_document(path, root, kind, diag, data)
    if doc is None:
        return None
    item_id = slugify(path.stem)
    if item_id != path.stem:
        article = "an" if noun[0] in "aeiou" else "a"
        diag.error(path, None, f"'{path.name}' cannot be {article} {noun}'s address",
                   f"rename it {item_id or noun}.md: lowercase letters, digits and '-'")
        return None
    return doc, item_id, data


def read_document(path: Path, root: Path, kind: str, diag: Diagnostics,
                  data: bytes | None = None) -> SourceDoc | None:
    """Read one file (or its bytes, when the caller has them already); on a problem, report
    it (naming the file and line) and return None."""
    rel = path.relative_to(root)
    try:
        text = decode_text(path.read_bytes() if data is None else data)
        if not text.strip():
            diag.warn(path, None, "empty file, skipped")
            return None
        fm_text, fm_line, body, body_line = split_front_matter(text)
        meta = load_mapping(fm_text, fm_line)
    except FrontMatterError as exc:
        diag.error(path, exc.line, exc.message, exc.hint)
        return None
    except YamlError as exc:
        for issue in exc.issues:
            diag.error(path, issue.line, issue.message, issue.hint)
        return None
    except OSError as exc:
        diag.error(path, None, f"cannot read: {exc.strerror or exc}")
        return None
    return SourceDoc(kind, path, rel, meta, body, body_line)


def decode_text(data: bytes) -> str:
    """The text of a content file: UTF-8, without BOM, with '\\n' line endings."""
    if len(data) > MAX_FILE_BYTES:
        raise FrontMatterError(1, f"file is {len(data) // (1024 * 1024)} MB, more than the "
                               f"{MAX_FILE_BYTES // (1024 * 1024)} MB a post may be",
                               "split it, or link large data from static/")
    try:
        text = data.decode("utf-8-sig")  # a BOM from Windows editors is not content
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrontMatterError(line, f"not UTF-8 text (byte {exc.start})",
                               "save the file as UTF-8") from None
    if "\0" in text:
        raise FrontMatterError(text[: text.index("\0")].count("\n") + 1,
                               "binary data (NUL byte) in a text file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> tuple[str, int, str, int]:
    """Split '---\\nYAML\\n---\\nbody' into (yaml, its first line, body, its first line)."""
    lines = text.split("\n")
    first = lines[0].rstrip()
    if first == "+++":
        raise FrontMatterError(1, "TOML front matter (+++) is not supported",
                               "use YAML between two '---' lines")
    if first != _FENCE:
        raise FrontMatterError(1, "no front matter", "start the file with a '---' line, then "
                               "'title: …' and 'date: …', then another '---' line")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            fm = "\n".join(lines[1:index]) + "\n"
            body = "\n".join(lines[index + 1:])
            return fm, 2, body, index + 2
    raise FrontMatterError(1, "front matter is not closed",
                           "add a line '---' after the last 'key: value' line")


def list_static(root: Path, theme_dir: Path, diag: Diagnostics) -> list[tuple[str, Path]]:
    """Files copied as is: the theme's static/ first, then the site's, which wins file by file."""
    files: dict[str, Path] = {}
    for folder in (theme_dir / "static", root / "static"):
        if not folder.is_dir():
            continue
        real_root = folder.resolve()
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = Path(dirpath) / name
                if is_editor_leftover(name):
                    continue
                if path.is_symlink() and not _inside(_link_target(path), real_root.parent):
                    diag.warn(path, None, "symbolic link leads outside the site, not copied")
                    continue
                files[path.relative_to(folder).as_posix()] = path
    return sorted(files.items())
