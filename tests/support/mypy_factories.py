"""A mypy plugin: calling a factory_boy factory gives an instance of its model.

factory_boy's factories are ``DjangoModelFactory[Model]``, but ``UserFactory()`` goes through an
unannotated metaclass ``__call__`` that mypy cannot see, so mypy types the call as a factory
instance. This plugin reads the model from the factory's base class instead.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.maptype import map_instance_to_supertype
from mypy.plugin import FunctionContext, Plugin
from mypy.types import Instance, ProperType, Type, get_proper_type

BASE = "factory.base.BaseFactory"


def _model_of(ctx: FunctionContext) -> Type:
    made: ProperType = get_proper_type(ctx.default_return_type)
    if isinstance(made, Instance) and made.type.has_base(BASE):
        base = next(info for info in made.type.mro if info.fullname == BASE)
        mapped = map_instance_to_supertype(made, base)
        if mapped.args:
            return mapped.args[0]
    return ctx.default_return_type


class FactoryPlugin(Plugin):
    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        node = self.lookup_fully_qualified(fullname)
        info = getattr(node, "node", None)
        if info is not None and hasattr(info, "has_base") and info.has_base(BASE):
            return _model_of
        return None


def plugin(version: str) -> type[Plugin]:
    return FactoryPlugin
