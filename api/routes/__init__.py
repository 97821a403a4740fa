"""Route modules. Each module here defines `router: APIRouter`; `create_app` includes them all,
so a new endpoint group is one new file."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    """The `router` of every module in this package, in module-name order."""
    out: list[APIRouter] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        router = getattr(module, "router", None)
        if not isinstance(router, APIRouter):
            raise TypeError(f"{module.__name__} defines no `router: APIRouter`")
        out.append(router)
    return out
