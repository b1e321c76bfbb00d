"""The theme: one Jinja environment (site templates over the theme's, file by file) and the
translation table of the theme's strings in the site's language."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup

from sitegen.config import Config
from sitegen.errors import BuildError, Problem
from sitegen.locales import plural_form

TEMPLATES = "templates"
FALLBACK_LANGUAGE = "en"
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # C loader when libyaml is there


class ThemeError(BuildError):
    """A template or translation problem, named with its file and line."""


def _load_strings(theme_dir: Path, language: str) -> dict[str, str]:
    """English first, then the site's language over it (so a missing string is never blank)."""
    strings: dict[str, str] = {}
    primary = language.replace("_", "-").split("-")[0].lower()
    for code in dict.fromkeys([FALLBACK_LANGUAGE, primary, language.lower()]):
        path = theme_dir / "i18n" / f"{code}.yaml"
        if path.is_file():
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise ThemeError([Problem(path, None, f"theme strings unreadable: {exc}")]) \
                    from None
            if not isinstance(data, dict):
                raise ThemeError([Problem(path, None, "theme strings must be 'key: text' lines")])
            strings.update({str(k): str(v) for k, v in data.items()})
    return strings


@cache
def _environment_class() -> type:
    import jinja2  # see Theme.__init__

    class Environment(jinja2.Environment):
        def make_globals(self, d: Any) -> Any:
            # A template's globals as a dict, not Jinja's ChainMap over the environment's:
            # Jinja copies them, or compares their keys, at every render, include and import,
            # and over a ChainMap that is a loop in Python (~9 µs a render, as much an
            # import). So the theme sets every global before it loads a template.
            return {**self.globals, **(d or {})}

    return Environment


class Theme:
    """Owns the Jinja environment; renders a template with a context to bytes."""

    def __init__(self, config: Config, compiled: Path | None = None):
        """`compiled`: a folder where Jinja keeps compiled templates between builds (Jinja
        checks each against its source, so an edited template is compiled again)."""
        # Imported with the first theme, not with this module: a build that renders no page
        # (only a stylesheet changed) does without Jinja's ~20 ms.
        import jinja2

        folders = [config.root / TEMPLATES, config.theme_dir / TEMPLATES]
        if compiled is not None:
            compiled.mkdir(parents=True, exist_ok=True)
        self.env = _environment_class()(
            bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled else None,
            loader=jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()]),
            autoescape=jinja2.select_autoescape(["html", "xml"]),
            undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # a build's templates do not change: no stat per page
        )
        self.strings = _load_strings(config.theme_dir, config.language)
        self.env.globals["t"] = self.t
        self.env.globals["lang"] = config.language
        self.env.globals["card"] = self.card
        self._cards: dict[tuple[str, int], Markup] = {}
        self._locale = config.locale

    def t(self, key: str, **values: Any) -> str:
        """The theme string `key` in the site's language, with {placeholders} filled; with a
        number `n`, the plural form the language's CLDR rules ask for (`key_one`, ...)."""
        if "n" in values and f"{key}_other" in self.strings:
            form = plural_form(self._locale, values["n"])
            key = f"{key}_{form}" if f"{key}_{form}" in self.strings else f"{key}_other"
        try:
            text = self.strings[key]
        except KeyError:
            raise ThemeError([Problem(None, None, f"theme string '{key}' is missing",
                                      f"add it to i18n/{FALLBACK_LANGUAGE}.yaml")]) from None
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError) as exc:
            raise ThemeError([Problem(None, None, f"theme string '{key}' has a bad "
                                      f"placeholder ({exc})", f"it may use {sorted(values)}")]) \
                from None

    def card(self, post: Any, level: int = 2) -> Markup:
        """A post's card in lists (the `post_card` macro of partials/posts.html), rendered
        once per build: the home, tag and author pages of a large site show each post in
        several lists, thousands of times in all."""
        key = (post.key, level)
        if key not in self._cards:
            macros = self.env.get_template("partials/posts.html").module
            self._cards[key] = Markup(macros.post_card(post, level))  # type: ignore[attr-defined]
        return self._cards[key]

    def render(self, template: str, context: dict[str, Any]) -> bytes:
        import jinja2  # loaded by __init__; named here for its exceptions

        try:
            return self.env.get_template(template).render(context).encode("utf-8")
        except jinja2.TemplateSyntaxError as exc:
            raise ThemeError([Problem(Path(exc.filename or template), exc.lineno,
                                      f"template error: {exc.message}")]) from None
        except jinja2.UndefinedError as exc:
            raise ThemeError([Problem(Path(template), None,
                                      f"template error: {exc.message}")]) from None
        except jinja2.TemplateNotFound as exc:
            raise ThemeError([Problem(None, None, f"template '{exc.name}' not found")]) \
                from None
