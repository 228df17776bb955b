"""Typed values passed between the pipeline stages.

Every stage takes and returns these frozen values, so stages stay pure and testable in isolation:
``scan`` -> ``ScanResult``, ``declared`` -> ``Declared``, ``compare`` -> ``Report``.

WHY ``NamedTuple``: every run creates these classes before it reads a file, and a frozen dataclass costs about four
times as much to create as a ``NamedTuple`` (it compiles six to ten generated methods; a ``NamedTuple`` one: about
4 M instructions against 1 M), which on a small repository is a good part of the whole run; importing
``dataclasses`` at all (``inspect``, ``dis``) is more. A ``NamedTuple`` is also quicker to build per value. They
compare and hash as their fields do, like the frozen dataclasses they replace (change one with ``_replace``).
``DeclaredBy`` is a small class of its own because a field named ``count`` would hide ``tuple.count``.

WHY no ``from __future__ import annotations`` here alone: a ``NamedTuple`` checks each field's annotation as it is
created, and an annotation kept as text is compiled there, one ``compile`` per field (about 7 M instructions for
this module's 130 fields, a run's start-up); written as objects they cost nearly nothing. A class used before it is
defined, and a method's own class, are named in quotes.
"""

from typing import Final, NamedTuple

from pipreqs_action.local.local_modules import LocalModules  # imports nothing of the project: no cycle


class Location(NamedTuple):
    """A place in the checked tree: a POSIX path relative to the scanned root and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class ImportRef(NamedTuple):
    """One third-party import found in the code.

    ``module`` is the module as written (``google.cloud`` in ``from google.cloud import storage``);
    ``names`` are the names a ``from`` import brings in (empty for ``import x``), needed because for
    namespace packages the distribution is only known from the full dotted path.
    """

    module: str
    location: Location
    names: tuple[str, ...] = ()
    optional: bool = False  # inside try/except ImportError or ModuleNotFoundError
    type_only: bool = False  # under `if TYPE_CHECKING:`
    dynamic: bool = False  # importlib.import_module("x") / __import__("x")
    secondary: str = ""  # why the importing file is not the app's code ("examples/", "tests"); "" for app code
    reason: str = ""  # why it is optional, in words ("guarded by find_spec('x')"); see guards.py
    marker: str = ""  # PEP 508 marker of the platform or Python-version branch it sits in
    in_function: bool = False  # inside a def: runs only when called (features.py)
    ignore_line: int = 0  # line of an inline `# pipreqs-action: ignore` marker on the statement (ignores.py)

    @property
    def root(self) -> str:
        return self.module.partition(".")[0]


class Skipped(NamedTuple):
    """A file (or requirements line) we could not read, with why; the run goes on without it."""

    path: str
    reason: str


class SourceText(NamedTuple):
    """Python source ready for ``ast.parse``, read from one file of the tree (``rel``, POSIX, root-relative).

    For notebooks ``text`` holds the code cells, one after the other, with IPython-only lines blanked (not
    removed) so that ``line_map[i]`` can say which line of the ``.ipynb`` file text line ``i + 1`` came from,
    letting annotations point into the real file. ``line_map`` is ``None`` for ``.py``/``.pyw``.
    """

    rel: str
    text: str
    line_map: tuple[int, ...] | None = None
    writes: tuple[str, ...] = ()  # root-relative .py files a notebook writes (``%%writefile``): project modules
    # A notebook's ``!pip install`` commands: (file line of the command, distribution key), and the cells it writes
    # to a script it never imports or runs: (first file line, last file line, root-relative path).
    installs: tuple[tuple[int, str], ...] = ()
    scripts: tuple[tuple[int, int, str], ...] = ()
    # Its ``!pip install git+https://host/owner/vista.git`` commands: (file line, PEP 503 name of the repository).
    repositories: tuple[tuple[int, str], ...] = ()
    # Where its kernel works from a line on (``%cd``, ``os.chdir``): (file line, root-relative folder or None when
    # nobody can tell), in file order (``working_folders``).
    moves: tuple[tuple[int, str | None], ...] = ()


class Requirement(NamedTuple):
    """One declared distribution.

    ``key`` is the PEP 503 normalised name used for matching; ``line`` is the line as written, so a
    suggested requirements.txt can keep the user's own pins, markers and comments-free text.
    """

    name: str
    key: str
    location: Location
    line: str
    specifier: str = ""
    extras: tuple[str, ...] = ()
    marker: str = ""
    url: str = ""
    editable: bool = False
    name_guessed: bool = False  # name inferred from a URL without #egg=
    local: bool = False  # the project itself or another folder of the checked tree (``-e .``, ``./libs/x``)


class ScriptMetadata(NamedTuple):
    """A script's PEP 723 inline metadata (``# /// script``): what it declares for itself, and nothing else.

    ``line`` is the block's opening line; ``unusable`` says why a block was found but not read (then it declares
    nothing); ``problems`` are entries that are not PEP 508, each at its line."""

    path: str
    line: int
    requirements: tuple[Requirement, ...] = ()
    requires_python: str = ""
    problems: tuple[Skipped, ...] = ()
    unusable: str = ""


class LocalImport(NamedTuple):
    """An import resolved to the project's own code beyond the plain search of its folders, ``reason`` saying which
    file and why: no distribution is known to provide it and a module of that name exists elsewhere in the tree; the
    folder a notebook moved into holds it; a module importing its own name; a folder above a project of its own."""

    module: str
    location: Location
    reason: str


class InstallHint(NamedTuple):
    """A distribution an import guard's install hint names, where the hint is, and the files of its feature (the
    hinting file and those reached only through it): ``hinted_features``."""

    distribution: str
    location: Location
    files: tuple[str, ...]


class ScanResult(NamedTuple):
    """Third-party imports of a tree: stdlib, relative, ``__future__`` and local modules already removed."""

    imports: tuple[ImportRef, ...]
    skipped: tuple[Skipped, ...] = ()
    files_scanned: int = 0
    elsewhere: tuple[tuple[str, str], ...] = ()  # (import name, folder): a module of that name elsewhere in the tree
    local: tuple[LocalImport, ...] = ()  # imports moved out of ``imports`` as the project's own (see LocalImport)
    stale_ignores: tuple[Location, ...] = ()  # inline ignore markers on stdlib or local imports (ignores.py)
    import_roots: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (folder put on sys.path, the packages in it)
    backends: tuple[tuple[str, str], ...] = ()  # (module, the framework it is named after): backends.py
    # (app file of a library's packages, the project files its run-time imports load): extra_features follows them
    module_imports: tuple[tuple[str, tuple[str, ...]], ...] = ()
    scripts: tuple[ScriptMetadata, ...] = ()  # scripts with PEP 723 inline metadata (script_metadata.py)
    install_hints: tuple[InstallHint, ...] = ()  # extras an import guard's install hint names (hinted_features.py)
    modules: LocalModules | None = None  # the tree's modules by folder: what a project inside it imports from above


class DeclaredBy:
    """What one manifest, or one table of it, contributed; ``unusable`` says why a manifest seen gave nothing.
    Compared and hashed by its fields, like the frozen values around it."""

    __slots__ = ("count", "dev", "file", "installed_by", "table", "unusable")

    def __init__(
        self,
        file: str,
        table: str = "",
        count: int = 0,
        dev: bool = False,
        unusable: str = "",
        installed_by: str = "",
    ) -> None:
        self.file: Final = file
        self.table: Final = table  # "[project]", "[dependency-groups] dev", "install_requires"; "" for requirements
        self.count: Final = count
        self.dev: Final = dev
        self.unusable: Final = unusable
        # who installs a file that no name marks as a manifest: a command's "file:line" ("Dockerfile:5"), or "Binder"
        self.installed_by: Final = installed_by

    def _fields(self) -> tuple[str, str, int, bool, str, str]:
        return (self.file, self.table, self.count, self.dev, self.unusable, self.installed_by)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DeclaredBy) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        fields = "file={!r}, table={!r}, count={!r}, dev={!r}, unusable={!r}, installed_by={!r}"
        return f"DeclaredBy({fields.format(*self._fields())})"

    def moved(self, folder: str) -> "DeclaredBy":
        """The same contribution, its file named from the folder above (a nested project's report, rebased); so is
        its installer when that is a command's file ("file:line")."""
        installed_by = f"{folder}/{self.installed_by}" if ":" in self.installed_by else self.installed_by
        return DeclaredBy(f"{folder}/{self.file}", self.table, self.count, self.dev, self.unusable, installed_by)

    def installed(self, installed_by: str) -> "DeclaredBy":
        """The same contribution, installed by ``installed_by``."""
        return DeclaredBy(self.file, self.table, self.count, self.dev, self.unusable, installed_by)

    def __str__(self) -> str:
        where = f"{self.file} {self.table}".strip()
        what = f"unusable: {self.unusable}" if self.unusable else str(self.count)
        return f"{where} ({what}, installed by {self.installed_by})" if self.installed_by else f"{where} ({what})"


class FixTarget(NamedTuple):
    """The manifest a missing package should be added to, in its own terms.

    ``kind`` is one of requirements, pyproject, setup.cfg, setup.py, Pipfile, conda; ``table`` where in the file
    (``[project] dependencies``, ``[tool.poetry.dependencies]``, ``install_requires``); ``tool`` the installer
    whose command adds it (uv, poetry, pdm, or ""); ``library`` when the project is a distributable package, which
    gets lower bounds rather than exact pins.
    """

    kind: str
    file: str
    table: str = ""
    tool: str = ""
    library: bool = False


class Declared(NamedTuple):
    """Everything the project declares: requirements files (with includes) or pyproject dependencies."""

    requirements: tuple[Requirement, ...]
    sources: tuple[str, ...] = ()  # files read, relative to the root, in reading order
    optional_groups: tuple[tuple[str, tuple[Requirement, ...]], ...] = ()  # pyproject optional-dependencies
    problems: tuple[Skipped, ...] = ()  # malformed lines: path "requirements.txt:12", reason
    constraints: tuple[Requirement, ...] = ()  # -c files: pin versions, declare nothing
    dev: tuple[Requirement, ...] = ()  # development only: dependency groups, dev-dependencies, test/docs extras
    declared_by: tuple[DeclaredBy, ...] = ()  # each manifest (and table) read, with what it contributed
    commented: tuple[Requirement, ...] = ()  # commented-out entries: packages the author knowingly left out
    target: FixTarget | None = None  # the manifest that takes the fix (None: nothing declared, requirements.txt)
    first_party: tuple[str, ...] = ()  # import names of the project itself and of local path requirements
    inherited: tuple[Requirement, ...] = ()  # what the enclosing project declares, for a project inside another
    nested: tuple[Requirement, ...] = ()  # what projects inside this one declare (paths from this project's root)
    workspace: tuple[str, ...] = ()  # member folders of a uv workspace rooted here (relative to the root)
    workspace_names: tuple[str, ...] = ()  # normalised distribution names of the workspace's members (and above)
    # (normalised name, absolute folder) of local projects installed with this one from their own folders (uv
    # workspace members, path requirements), and the folder of the uv workspace whose lock installs this project
    local_projects: tuple[tuple[str, str], ...] = ()
    workspace_root: str = ""
    installed: tuple[Requirement, ...] = ()  # what the project's Dockerfiles and dev container pip-install
    scripts: tuple[ScriptMetadata, ...] = ()  # what scripts declare for themselves only (PEP 723 inline metadata)
    warnings: tuple[str, ...] = ()  # declarations seen but not read, said to the user (a script's broken block)
    # the enclosing project's optional groups installed with this one, (name, keys it alone adds): ``inherited`` holds
    # their declarations (``projects.inherit``); kept apart only for the report to say where they come from
    installed_with: tuple[tuple[str, tuple[str, ...]], ...] = ()


class Suggestion(NamedTuple):
    """Which distribution provides an import: the one to write, and others when truly ambiguous."""

    package: str
    candidates: tuple[str, ...] = ()
    known: bool = True  # False: no data names a distribution; `package` is a guess from the import name


class Missing(NamedTuple):
    """PRA001: imported, provided by nothing declared."""

    package: str
    imports: tuple[str, ...]
    locations: tuple[Location, ...]
    optional: bool = False
    candidates: tuple[str, ...] = ()
    known: bool = True
    version: str = ""
    scope: str = "app"  # "secondary": imported only by secondary code (tests, examples, tools, vendored code...)
    reason: str = ""  # why an optional item is optional: "only in examples/", its best guard (guards.py), its role
    marker: str = ""  # PEP 508: needed only there (every run-time import sits in such a branch)
    via: tuple[str, ...] = ()  # declared distributions that install it: real, but not urgent (never breaks in_sync)
    via_source: str = ""  # where that dependency data came from: "local" (a local project's own manifest), "lock"
    # (the project's lock file), "snapshot" (bundled), "index"

    @property
    def message(self) -> str:
        return f"'{self.package}' is imported but not declared"

    @property
    def code(self) -> str:
        return "PRA001"


class Advice(NamedTuple):
    """What to add to the manifest that takes the fix: its entries as written there, and the command to run."""

    file: str
    kind: str = "requirements"
    table: str = ""
    entries: tuple[str, ...] = ()
    command: str = ""
    syntax: str = "text"  # the code-block language of ``entries``: text, toml, ini, python, yaml


class Unused(NamedTuple):
    """PRA002: declared, but provides nothing the code imports (often fine: servers, drivers, plugins)."""

    package: str
    location: Location | None = None

    @property
    def message(self) -> str:
        return f"'{self.package}' is declared but never imported"

    @property
    def code(self) -> str:
        return "PRA002"


class Unresolved(NamedTuple):
    """PRA003: imported, but no data names a distribution that provides it.

    Never an alarm: such a name is as likely the project's own code (a module generated at build time, a folder
    put on ``sys.path`` at run time) as an obscure package, and guessing a PyPI project from the import name
    has named unrelated projects. The user maps it (``--map IMPORT=DIST``) or marks it first-party.
    """

    module: str
    locations: tuple[Location, ...]
    optional: bool = False

    @property
    def message(self) -> str:
        return f"no known distribution provides '{self.module}'"

    @property
    def code(self) -> str:
        return "PRA003"


class Report(NamedTuple):
    """The engine's whole answer. Renderers and front doors read it; nothing mutates it."""

    missing: tuple[Missing, ...]
    unused: tuple[Unused, ...]
    skipped: tuple[Skipped, ...]
    requirements: str  # the suggested requirements.txt text
    declared_sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    files_scanned: int = 0
    local: tuple[LocalImport, ...] = ()  # imports taken for the project's own modules, with why
    config_file: str = ""  # the configuration file read ("pyproject.toml"), "" when none
    unresolved: tuple[Unresolved, ...] = ()  # imports no data maps to a distribution: never make in_sync false
    declared_by: tuple[DeclaredBy, ...] = ()
    dev_only: tuple[Missing, ...] = ()  # app imports satisfied only by a development declaration
    unusable_requirements: tuple[Skipped, ...] = ()  # declared lines that could not be used (not Python files)
    advice: Advice | None = None  # the fix in the target manifest's own terms
    stale_ignores: tuple[Location, ...] = ()  # inline ignore markers that silenced nothing
    projects: "tuple[ProjectReport, ...]" = ()  # folders with a manifest of their own, each checked on its own

    @property
    def required_missing(self) -> tuple[Missing, ...]:
        """Needed at run time and installed by nothing declared: what makes the project out of sync."""
        return tuple(m for m in self.missing if not m.optional and not m.via)

    @property
    def installed_through(self) -> tuple[Missing, ...]:
        """Needed at run time, installed only through a declared distribution: declare them to be safe."""
        return tuple(m for m in self.missing if not m.optional and m.via)

    @property
    def in_sync(self) -> bool:
        """In sync when nothing the code needs at run time is undeclared (or declared for development only), in
        the checked project and in every project of its own below it; unused and optional never break it."""
        return not self.required_missing and not self.dev_only and all(p.report.in_sync for p in self.projects)


class ProjectReport(NamedTuple):
    """A folder below the checked path with a manifest of its own, and its own report (paths from the root)."""

    path: str
    report: Report
