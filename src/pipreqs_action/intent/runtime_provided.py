"""Modules that the place code runs in provides, which no manifest can declare.

- **Hosted notebook runtimes.** ``google.colab`` exists only inside Google Colab, ``kaggle_secrets`` only in a
  Kaggle kernel: no ``pip install`` gives a working copy anywhere else, so an import of one is never a package to
  declare. It is reported optional, saying where the module exists.
- **Code that runs only there.** A ``.py`` module that imports such a module unguarded at its top level cannot
  even be imported elsewhere: it is a helper of the hosted notebooks (``notebook_helpers.py`` doing ``from
  google.colab import output``), not the application, so all its imports are secondary code, with that reason.
  A notebook doing the same stays what the layout says it is: in a course made for Colab the notebooks are the
  app, and only the runtime's own module is left out.
- **The notebook's kernel.** A notebook runs in the IPython kernel, so its ``IPython`` and ``ipykernel`` imports
  are provided by whatever runs it. The same import in a ``.py`` file is an ordinary dependency.
"""

from __future__ import annotations

from pipreqs_action.model import ImportRef, SourceText

__all__ = ["KERNEL_MODULES", "RUNTIME_MODULES", "apply"]

# Import path -> the runtime that provides it (and only it).
RUNTIME_MODULES = {
    "google.colab": "Google Colab",
    "kaggle_secrets": "Kaggle",
    "kaggle_datasets": "Kaggle",
    "kaggle_web_client": "Kaggle",
}
KERNEL_MODULES = frozenset({"IPython", "ipykernel"})
KERNEL_REASON = "provided by the notebook's kernel (IPython)"


def apply(refs: list[ImportRef], source: SourceText) -> list[ImportRef]:
    """The file's imports with runtime-provided modules optional, and a hosted runtime's helper module secondary."""
    notebook = source.rel.endswith(".ipynb")
    only_there = "" if notebook else _runtime_only_code(refs, source.text)
    marked = [_provided(ref, notebook) for ref in refs]
    if only_there:
        return [ref if ref.secondary else ref._replace(secondary=only_there) for ref in marked]
    return marked


def runtime_of(ref: ImportRef) -> str:
    """The hosted runtime that alone provides what ``ref`` imports, or ""."""
    paths = [ref.module, *(f"{ref.module}.{name}" for name in ref.names)]
    for path in paths:
        for module, runtime in RUNTIME_MODULES.items():
            if path == module or path.startswith(module + "."):
                return runtime
    return ""


def _provided(ref: ImportRef, notebook: bool) -> ImportRef:
    runtime = runtime_of(ref)
    if runtime:
        return ref._replace(optional=True, reason=f"exists only in {runtime}")
    if notebook and ref.root in KERNEL_MODULES:
        return ref._replace(optional=True, reason=KERNEL_REASON)
    return ref


def _runtime_only_code(refs: list[ImportRef], text: str) -> str:
    """The secondary reason of a module importing a hosted runtime's module unguarded at its top level, or ""."""
    lines: list[str] | None = None  # split only for a file that imports such a module (few do)
    for ref in refs:
        runtime = runtime_of(ref)
        if not runtime or ref.optional or ref.type_only:
            continue
        lines = text.splitlines() if lines is None else lines
        line = ref.location.line
        if line > len(lines):
            continue
        top_level = not ref.in_function and not ref.marker and not lines[line - 1][:1].isspace()
        if top_level:
            return f"{runtime}-only code ({ref.module} imported at line {line})"
    return ""
