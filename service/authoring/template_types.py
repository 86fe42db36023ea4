"""Every variable and attribute a template uses, checked against the context schema with Jinja's AST.

`jinja2.meta.find_undeclared_variables` only sees top-level names; a template mostly fails on
`tool.rowz` inside `{% for tool in tools %}`, so we walk the parsed template ourselves, giving each
loop variable, `set` and `with` target the type its expression has in the schema (`context_schema`).
Unknown shapes (filter results, string methods) are let through: a check must never cry wolf.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any, Callable

from jinja2 import nodes
from pydantic import BaseModel

from service.documents.context_schema import ContextModel, is_list


class _Any:
    """A value whose shape the schema does not pin down: anything goes."""


ANY: Any = _Any()
LOOP_ATTRS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "cycle",
                        "depth", "depth0", "previtem", "nextitem", "changed"})
_LOOP: Any = object()
_SAME_LIST_FILTERS = frozenset({"list", "sort", "reverse", "unique", "select", "reject", "selectattr",
                                "rejectattr", "batch", "slice"})
_ELEMENT_FILTERS = frozenset({"first", "last", "random", "min", "max"})


@dataclass(frozen=True)
class ListOf:
    element: Any


def type_of(annotation: Any) -> Any:
    """Schema annotation → checker type: a model, ListOf(element) or ANY (scalars, unions)."""
    args = typing.get_args(annotation)
    if is_list(annotation):
        return ListOf(type_of(args[0]) if args else ANY)
    if _is_model(annotation):
        return annotation
    present = [a for a in args if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(present) == 1:
        return type_of(present[0])
    return ANY


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def expression_text(node: nodes.Node) -> str:
    """`tool.rows[…].name`, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{expression_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{expression_text(node.node)}[…]"
    return "…"


Report = Callable[[int, str, str], None]      # (lineno, code, Thai message)


class TypeChecker:
    """Walks a parsed template; reports names and attributes the context schema does not provide."""

    def __init__(self, root: type[ContextModel], globals_: set[str], report: Report):
        self.root = root
        self.globals = globals_
        self.report = report

    def check(self, template: nodes.Template) -> None:
        scope: dict[str, Any] = {m.name: ANY for m in template.find_all(nodes.Macro)}
        for node in template.body:
            self.stmt(node, scope)

    # statements ---------------------------------------------------------------------------------
    def stmt(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            iterated = self.expr(node.iter, scope)
            inner = dict(scope, loop=_LOOP)
            self.bind(node.target, iterated.element if isinstance(iterated, ListOf) else ANY, inner)
            if node.test is not None:
                self.expr(node.test, inner)
            for child in node.body:
                self.stmt(child, inner)
            for child in node.else_:
                self.stmt(child, scope)
        elif isinstance(node, nodes.Assign):
            self.bind(node.target, self.expr(node.node, scope), scope)
        elif isinstance(node, nodes.AssignBlock):
            for child in node.body:
                self.stmt(child, dict(scope))
            self.bind(node.target, ANY, scope)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            inner = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            for arg in node.args:
                self.bind(arg, ANY, inner)
            for default in node.defaults:
                self.expr(default, scope)
            if isinstance(node, nodes.CallBlock):
                self.expr(node.call, scope)
            for child in node.body:
                self.stmt(child, inner)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values):
                self.bind(target, self.expr(value, scope), inner)
            for child in node.body:
                self.stmt(child, inner)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                (self.expr if isinstance(child, nodes.Expr) else self.stmt)(child, scope)

    def bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)

    # expressions --------------------------------------------------------------------------------
    def expr(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return self.name(node, scope)
        if isinstance(node, nodes.Getattr):
            return self.attribute(node, self.expr(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope)
            self.expr(node.arg, scope)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.attribute(node, base, node.arg.value)
            return base.element if isinstance(base, ListOf) else ANY
        if isinstance(node, nodes.Filter):
            base = self.expr(node.node, scope) if node.node is not None else ANY
            self.children(node, scope, skip=node.node)
            if node.name in _SAME_LIST_FILTERS or node.name in ("default", "d"):
                return base
            if node.name in _ELEMENT_FILTERS and isinstance(base, ListOf):
                return base.element
            return ANY
        self.children(node, scope)
        return ANY

    def children(self, node: nodes.Node, scope: dict[str, Any], skip: nodes.Node | None = None) -> None:
        for child in node.iter_child_nodes():
            if child is not skip:
                self.expr(child, scope)

    def name(self, node: nodes.Name, scope: dict[str, Any]) -> Any:
        if node.name in scope:
            return scope[node.name]
        field = self.root.model_fields.get(node.name)
        if field is not None:
            return type_of(field.annotation)
        if node.name not in self.globals:
            self.report(node.lineno, "unknown_variable",
                        f'ไม่มีตัวแปร "{node.name}" ในข้อมูลของเอกสารนี้ ตัวแปรที่ใช้ได้: '
                        + ", ".join(self.root.model_fields))
        return ANY

    def attribute(self, node: nodes.Node, base: Any, attr: str) -> Any:
        if base is _LOOP:
            if attr not in LOOP_ATTRS:
                self.report(node.lineno, "unknown_attribute",
                            f'loop ไม่มี "{attr}" ที่ใช้ได้: {", ".join(sorted(LOOP_ATTRS))}')
            return ANY
        if _is_model(base):
            field = base.model_fields.get(attr)
            if field is None:
                self.report(node.lineno, "unknown_attribute",
                            f'"{expression_text(node)}": ไม่มี "{attr}" ในข้อมูลส่วนนี้ ที่ใช้ได้: '
                            + ", ".join(base.model_fields))
                return ANY
            return type_of(field.annotation)
        return ANY
