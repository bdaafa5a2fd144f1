"""What each app contributes to a person's data export, without the exporter importing it.

An app registers an exporter from its ``exports`` module (found by ``exporters_discover``, the
way the admin finds ``admin`` modules). An exporter is given the person's user id and returns
the files it contributes to their ZIP, as (path inside the ZIP, bytes). It must only read, and
only what belongs to that person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Exporter = Callable[[int], Iterable[tuple[str, bytes]]]

_exporters: dict[str, Exporter] = {}


def exporter_register(name: str, exporter: Exporter) -> None:
    """Register (or replace, by ``name``) an exporter; its files go under ``name/``."""
    _exporters[name] = exporter


def exporters() -> dict[str, Exporter]:
    """Every registered exporter, by name, after finding the apps' ``exports`` modules."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("exports")
    return dict(sorted(_exporters.items()))
