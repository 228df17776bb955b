"""Which modules reached only inside functions are a framework's optional integration, set apart as such.

A library's method that instruments a framework (``instrument_flask(app: flask.Flask)``, ``loguru_handler()``)
imports the adapter for it in its body (``lazy_loads``): only a user of that framework calls it, so the adapter's
imports (flask, and what only the adapter imports beside it) are that user's to install, exactly as for an adapter
nothing imports at all (``integration_names``). Two things must hold of each import in a function body through
which such a module is reached:

- what it loads is an integration by ``integration_names``' test: named after what it imports (``flask_app.py``
  importing flask) or kept where integrations are kept (``contrib/``, ``integrations/``);
- the function holding it serves that framework (``loading_functions``): its name names it (``instrument_flask``)
  or its parameters or return value are annotated with its types (``def trace(app: Flask)``).

A lazy import made for speed or to break an import cycle (``def parse(): from ._fast import parse``) meets neither:
what it loads is the library's own code, needed whenever the function is called, and its imports stay required.
A module reached through several such imports is set apart only when each of them is an integration's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from pipreqs_action.app_code.integration_names import is_integration
from pipreqs_action.app_code.lazy_loads import Crossing
from pipreqs_action.app_code.loading_functions import LoadingFunction
from pipreqs_action.app_code.reachability import Packages

__all__ = ["lazy_integrations"]

FunctionAt = Callable[[str, int], "LoadingFunction | None"]  # (file, line) -> the function holding that line


def lazy_integrations(
    reached: Mapping[str, Sequence[Crossing]],
    imported: Mapping[str, Iterable[str]],
    packages: Packages,
    function_at: FunctionAt,
) -> dict[str, str]:
    """The files reached only lazily (``lazy_loads.reached_only_lazily``) that are integrations, each with the reason
    shown for its imports. ``imported`` maps a file to the top-level names of the third-party modules it imports."""
    verdicts: dict[Crossing, str] = {}
    found: dict[str, str] = {}
    for path, crossings in sorted(reached.items()):
        reasons = []
        for crossing in crossings:
            if crossing not in verdicts:
                verdicts[crossing] = _loads_an_integration(crossing, imported, packages, function_at)
            reasons.append(verdicts[crossing])
        if reasons and all(reasons):
            found[path] = f"{path}, {reasons[0]} (an optional integration)"
    return found


def _loads_an_integration(
    crossing: Crossing, imported: Mapping[str, Iterable[str]], packages: Packages, function_at: FunctionAt
) -> str:
    """``loaded only inside Tracer.instrument_flask (lib/tracer.py:12)`` when the import loads an integration for
    the framework its function serves; "" when not."""
    if not all(is_integration(path, imported.get(path, ()), packages) for path in crossing.targets):
        return ""
    function = function_at(crossing.importer, crossing.line)
    if function is None:
        return ""
    frameworks = frozenset(name.lower() for path in crossing.targets for name in imported.get(path, ()))
    if not function.serves(frameworks):
        return ""
    return f"loaded only inside {function.name} ({crossing.importer}:{crossing.line})"
