"""The catalog: every statement of docs/theory.md sections 2-5, as an immutable collection of Bounds.

Built once at import from the section modules (:mod:`.paper`, :mod:`.deterministic`,
:mod:`.stochastic`, :mod:`.lower`, :mod:`.literature`) and never mutated.  Bounds a user brings
are passed explicitly (``query(setting, extra=(...))`` or :meth:`Catalog.with_bounds`), so there
is no global registration.  Open rows of docs/theory.md are recorded as :class:`Gap` values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from ...errors import InvalidParameterError
from ...setting import Algorithm, FunctionClass
from ..bound import Bound
from ..terms import Kind, Provenance, Quantity
from . import deterministic, literature, lower, paper, stochastic


@dataclass(frozen=True)
class Gap:
    """A known open row: no bound on ``quantity`` for these algorithms on exactly this class."""

    algorithms: frozenset
    function_class: FunctionClass
    quantity: Quantity
    note: str

    def to_dict(self) -> dict[str, object]:
        return {"algorithms": sorted(a.value for a in self.algorithms), "function_class": self.function_class.value,
                "quantity": self.quantity.value, "quantity_label": self.quantity.label, "note": self.note}


GAPS = (
    Gap(frozenset({Algorithm.SAM}), FunctionClass.CONVEX, Quantity.GAP,
        "open row: no bound on f(x_T) - f* for deterministic SAM on merely convex f (docs/theory.md s.4, s.6); "
        "the D-C gradient-norm and distance bounds apply"),
    Gap(frozenset({Algorithm.N_SAM, Algorithm.M_SAM}), FunctionClass.CONVEX, Quantity.E_GAP,
        "open row: no convex-specific bound for n-SAM/m-SAM; the nonconvex S-NC bounds apply"),
    Gap(frozenset({Algorithm.SAM, Algorithm.N_SAM, Algorithm.M_SAM}), FunctionClass.LIPSCHITZ_NONCONVEX,
        Quantity.GRAD_AVG,
        "open row: what the L-Lipschitz assumption buys is not derived here; the nonconvex bounds apply"),
)


@dataclass(frozen=True)
class Catalog:
    """An immutable, name-indexed collection of :class:`Bound` values (names unique)."""

    bounds: tuple[Bound, ...]
    gaps: tuple[Gap, ...] = ()
    _by_name: Mapping[str, Bound] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        bounds = tuple(self.bounds)
        by_name: dict[str, Bound] = {}
        for b in bounds:
            if not isinstance(b, Bound):
                raise InvalidParameterError("bounds", b, "sambounds Bound instances")
            if b.name in by_name:
                raise InvalidParameterError("name", b.name, "a name not already in the catalog")
            by_name[b.name] = b
        object.__setattr__(self, "bounds", bounds)
        object.__setattr__(self, "gaps", tuple(self.gaps))
        object.__setattr__(self, "_by_name", MappingProxyType(by_name))

    def __iter__(self) -> Iterator[Bound]:
        return iter(self.bounds)

    def __len__(self) -> int:
        return len(self.bounds)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Bound:
        try:
            return self._by_name[name]
        except (KeyError, TypeError):
            raise InvalidParameterError("bound", name, "a catalog bound name (see `sambounds list`)") from None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def select(self, *, algorithm: Algorithm | str | None = None,
               function_class: FunctionClass | str | None = None, kind: Kind | str | None = None,
               provenance: Provenance | str | None = None) -> tuple[Bound, ...]:
        """Bounds proved for ``algorithm`` and stated for exactly ``function_class`` (filters optional)."""
        alg = None if algorithm is None else Algorithm.parse(algorithm)
        cls = None if function_class is None else FunctionClass.parse(function_class)
        knd = None if kind is None else Kind.parse(kind)
        prov = None if provenance is None else Provenance.parse(provenance)
        return tuple(b for b in self.bounds
                     if (alg is None or alg in b.algorithms) and (cls is None or b.function_class is cls)
                     and (knd is None or b.kind is knd) and (prov is None or b.provenance is prov))

    def with_bounds(self, extra: Iterable[Bound]) -> "Catalog":
        """A new catalog with ``extra`` appended (this one is unchanged)."""
        return Catalog(self.bounds + tuple(extra), self.gaps)


#: The catalog of docs/theory.md sections 2-5 (paper claims, derived theorems, constructions, literature).
catalog = Catalog(paper.BOUNDS + deterministic.BOUNDS + stochastic.BOUNDS + lower.BOUNDS + literature.BOUNDS, GAPS)

__all__ = ["Catalog", "Gap", "GAPS", "catalog"]
