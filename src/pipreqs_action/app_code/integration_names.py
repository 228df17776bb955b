"""Which unreached modules of a library are integrations, and which are public modules its users import directly.

A module of a library that nothing in the package imports (``reachability``) is one of two things. An integration
is named after what it integrates, or kept where integrations are kept: ``webargs/flaskparser.py`` imports flask,
``tqdm/keras.py`` imports keras, ``utils/flask_rest_api/restapi.py`` sits in a folder named after flask,
``mylib/contrib/otel.py`` in ``contrib/``. Only users of that framework import it: all its imports are theirs to
install. A module named after nothing it imports (``vit_pytorch/vaat.py`` doing ``from torchaudio.transforms import
Spectrogram`` at its top) is part of the library's API that users import by path: importing it runs its top-level
imports, so those are the library's to declare, and withholding them would hide a missing dependency. Only what it
imports inside functions runs on demand (a ``load_pretrained()`` fetching weights with huggingface_hub): those stay
set apart, as an optional feature of a module the package never imports.

The names compared are the module's dotted parts below its top-level package (the package is often named after
the framework the whole library serves: ``vit_pytorch`` imports torch everywhere), lowercased, against the top-level
names of the third-party modules the file imports: a part containing one (``flaskparser`` holds ``flask``) names it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pipreqs_action.app_code.reachability import Packages
from pipreqs_action.model import ImportRef

__all__ = ["is_integration", "on_demand_in", "split_integrations"]

# Folders that hold a library's integrations by convention, whatever each module is named.
_INTEGRATION_FOLDERS = frozenset({"contrib", "integrations", "integration", "adapters", "adapter"})


def split_integrations(
    unreached: Mapping[str, str], imported: Mapping[str, Iterable[str]], packages: Packages
) -> tuple[dict[str, str], dict[str, str]]:
    """The unreached modules (path -> reason) split into integrations, all of whose imports are set apart, and public
    modules, of which only the imports inside functions are, with their reason. ``imported`` maps a file to the
    top-level names of the third-party modules it imports."""
    whole: dict[str, str] = {}
    public: dict[str, str] = {}
    for path, reason in unreached.items():
        if is_integration(path, imported.get(path, ()), packages):
            whole[path] = reason
        else:
            public[path] = f"{path} (inside a function), which nothing in the package imports (an optional feature)"
    return whole, public


def is_integration(path: str, imported: Iterable[str], packages: Packages) -> bool:
    """Is the module named after something it imports, or kept where integrations are kept (see above)?"""
    parts = [part.lower() for part in (packages.module_of(path) or "").split(".")[1:]]
    if _INTEGRATION_FOLDERS.intersection(parts):
        return True
    names = {name.lower() for name in imported}
    return any(name in part for name in names for part in parts)


def on_demand_in(refs: Iterable[ImportRef], public: Mapping[str, str]) -> Iterable[ImportRef]:
    """The imports, those inside functions of a public module the package never imports set apart with its reason."""
    for ref in refs:
        reason = public.get(ref.location.path)
        if reason and ref.in_function and not ref.secondary:
            yield ref._replace(secondary=reason)
        else:
            yield ref
