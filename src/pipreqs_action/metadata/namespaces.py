"""How import paths and distribution names relate, before any data is consulted.

PEP 503 normalisation is the key every source is matched on. Namespace packages (``NAMESPACE_ROOTS``) are
matched on dotted paths, never on the bare root: a distribution named ``<root>-a-b`` provides ``root.a.b`` (and
spellings such as ``root.a.a_b``, ``root.a.ab``), so a declared ``google-cloud-storage`` does not satisfy
``import google.protobuf``. Paths that are themselves only namespaces (``google.cloud``, ``azure.mgmt``) are never
treated as provided by derivation either.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

from pipreqs_action.reading.lazy_regex import LazyPattern

__all__ = [
    "DOTTED_PATH",
    "NAMESPACE_ROOTS",
    "is_namespace",
    "namespace_paths",
    "normalise",
    "prefixes",
    "root_of",
    "unversioned",
]

NAMESPACE_ROOTS: frozenset[str] = frozenset(
    {
        "azure",
        "azureml",
        "backports",
        "collective",
        "databricks",
        "flufl",
        "google",
        "jaraco",
        "keyrings",
        "mpl_toolkits",
        "opentelemetry",
        "plone",
        "plonetheme",
        "Products",
        "repoze",
        "ruamel",
        "snowflake",
        "sphinxcontrib",
        "z3c",
        "zc",
        "zope",
    }
)
# Namespaces one level down: many distributions share them, none provides them whole.
_SUB_NAMESPACES: frozenset[str] = frozenset(
    {
        "azure.ai",
        "azure.cognitiveservices",
        "azure.communication",
        "azure.data",
        "azure.keyvault",
        "azure.mgmt",
        "azure.monitor",
        "azure.search",
        "azure.storage",
        "google.ads",
        "google.ai",
        "google.analytics",
        "google.apps",
        "google.cloud",
        "google.iam",
        "google.logging",
        "opentelemetry.exporter",
        "opentelemetry.instrumentation",
        "opentelemetry.propagators",
        "opentelemetry.resource",
    }
)


def _root_parts() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Roots by their first lowercased word: ``"mpl"`` -> ``[(("mpl", "toolkits"), "mpl_toolkits")]``."""
    found: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for root in NAMESPACE_ROOTS:
        words = tuple(root.lower().split("_"))
        found[words[0]].append((words, root))
    return dict(found)


_ROOT_PARTS = _root_parts()

_SEPARATORS = re.compile(r"[-_.]+")
DOTTED_PATH = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_VERSIONED = re.compile(r"(?P<base>[A-Za-z0-9_]+?)_v\d+[A-Za-z0-9]*\Z")  # pubsub_v1, firestore_v1beta1


def normalise(name: str) -> str:
    """PEP 503 name, the key every source is matched on (``Scikit_Learn`` -> ``scikit-learn``)."""
    key = name.lower().replace("_", "-").replace(".", "-")  # str methods: ~4x faster than the regex alone
    return _SEPARATORS.sub("-", key) if "--" in key else key


def root_of(path: str) -> str:
    return path.partition(".")[0]


def is_namespace(path: str) -> bool:
    """True for a bare namespace root or sub-namespace: a path no single distribution provides whole."""
    return path in NAMESPACE_ROOTS or path in _SUB_NAMESPACES


def namespace_paths(name: str) -> tuple[str, ...]:
    """Dotted paths a distribution named ``<root>-a-b`` provides: ``root.a.b`` first, then other spellings.

    Google and Azure name most distributions after their path, but join words differently
    (``google-cloud-secret-manager`` -> ``google.cloud.secretmanager``, ``azure-storage-file-share`` ->
    ``azure.storage.fileshare``, ``backports.functools-lru-cache`` -> ``backports.functools_lru_cache``),
    so the usual joinings are all offered. Empty when the name starts with no namespace root.
    """
    parts = [part for part in _SEPARATORS.split(name) if part]
    lowered = tuple(part.lower() for part in parts)
    for root_parts, root in _ROOT_PARTS.get(lowered[0] if lowered else "", ()):
        width = len(root_parts)
        if len(parts) > width and lowered[:width] == root_parts:
            return _spellings(root, parts[width:])
    return ()


def _spellings(root: str, rest: Sequence[str]) -> tuple[str, ...]:
    first, tail = rest[0], rest[1:]
    found = [".".join((root, *rest))]
    if tail:
        found += [f"{root}.{first}.{'_'.join(tail)}", f"{root}.{first}.{''.join(tail)}"]
        found += [f"{root}.{'_'.join(rest)}", f"{root}.{''.join(rest)}"]
    found += [path.lower() for path in found if not path[len(root) :].islower()]
    return tuple(path for path in dict.fromkeys(found) if DOTTED_PATH.match(path) and not is_namespace(path))


def unversioned(path: str) -> str:
    """``google.cloud.pubsub_v1`` -> ``google.cloud.pubsub``: Google's generated clients version their modules."""
    head, _, last = path.rpartition(".")
    match = _VERSIONED.match(last)
    return f"{head}.{match['base']}" if head and match else path


def prefixes(path: str, shortest: int = 1) -> Iterator[str]:
    """``a.b.c`` -> ``a.b.c``, ``a.b``, ``a``: longest first, down to ``shortest`` components."""
    parts = path.split(".")
    for depth in range(len(parts), shortest - 1, -1):
        yield ".".join(parts[:depth])
