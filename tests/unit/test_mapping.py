from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipreqs_action import mapping
from pipreqs_action.mapping import NAMESPACE_ROOTS, ImportNames, load_import_names, normalise
from pipreqs_action.metadata import import_index, name_tables, namespaces
from pipreqs_action.model import ImportRef, Location

HERE = Location("app.py", 1)
DATA = Path(mapping.__file__).with_name("data")


@pytest.fixture
def use_index() -> Path:
    """The index shipped in the package, as every run reads it (no ``PIPREQS_ACTION_INDEX``)."""
    return import_index.SHIPPED_INDEX


@pytest.fixture
def names(use_index) -> ImportNames:
    return load_import_names()


def ref(module: str, *names: str) -> ImportRef:
    return ImportRef(module=module, location=HERE, names=names)


def pipreqs_lines() -> set[str]:
    return set((DATA / "pipreqs_mapping.txt").read_text("utf-8").split())


# --- no false alarms: a declared distribution satisfies what it provides --------------------------------------

SATISFIED = [
    ("PyYAML", "yaml"),
    ("pyyaml", "yaml"),
    ("psycopg2-binary", "psycopg2"),
    ("psycopg2", "psycopg2"),
    ("beautifulsoup4", "bs4"),
    ("bs4", "bs4"),
    ("opencv-python", "cv2"),
    ("opencv-python-headless", "cv2"),
    ("opencv-contrib-python", "cv2"),
    ("opencv-contrib-python-headless", "cv2"),
    ("PyMuPDF", "fitz"),
    ("PyMuPDF", "pymupdf"),
    ("scikit_learn", "sklearn"),
    ("Scikit-Learn", "sklearn"),
    ("Pillow", "PIL"),
    ("attrs", "attr"),
    ("python-dateutil", "dateutil"),
    ("google-cloud-storage", "google.cloud.storage"),
    ("google-cloud-storage", "google.cloud.storage.blob"),
    ("google_cloud_storage", "google.cloud.storage"),
    ("google-cloud-pubsub", "google.cloud.pubsub_v1"),
    ("google-cloud-secret-manager", "google.cloud.secretmanager"),
    ("protobuf", "google.protobuf"),
    ("google-auth", "google.auth"),
    ("google-auth", "google.oauth2"),
    ("googleapis-common-protos", "google.rpc"),
    ("google-api-python-client", "googleapiclient"),
    ("azure-storage-blob", "azure.storage.blob"),
    ("azure-storage-file-datalake", "azure.storage.filedatalake"),
    ("azure-identity", "azure.identity"),
    ("opentelemetry-api", "opentelemetry.trace"),
    ("opentelemetry-sdk", "opentelemetry.sdk.trace"),
    ("ruamel.yaml", "ruamel.yaml"),
    ("ruamel-yaml", "ruamel.yaml"),
    ("jaraco.classes", "jaraco.classes"),
    ("backports.zoneinfo", "backports.zoneinfo"),
    ("matplotlib", "mpl_toolkits.mplot3d"),
    ("snowflake-connector-python", "snowflake.connector"),
    ("python-magic", "magic"),
    ("file-magic", "magic"),
    ("tensorflow-cpu", "tensorflow"),
    ("llama-index", "llama_index"),
    ("requests", "requests"),
    ("some-project-pigar-never-heard-of", "some_project_pigar_never_heard_of"),
]


@pytest.mark.parametrize(("dist", "import_path"), SATISFIED)
def test_a_declared_distribution_satisfies_what_it_provides(names, dist, import_path):
    assert names.satisfies(names.provides(dist), import_path)


NOT_SATISFIED = [
    ("google-cloud-storage", "google.protobuf"),
    ("google-cloud-storage", "google.cloud.bigquery"),
    ("protobuf", "google.cloud.storage"),
    ("google-auth", "google.api_core"),
    ("azure-storage-blob", "azure.identity"),
    ("azure-storage-blob", "azure.storage.queue"),
    ("opentelemetry-api", "opentelemetry.sdk"),
    ("crypto", "Crypto"),  # a real mistake: the unrelated `crypto` project does not provide pycryptodome's module
    ("jwt", "yaml"),
    ("matplotlib", "mpl_toolkits.basemap"),
]


@pytest.mark.parametrize(("dist", "import_path"), NOT_SATISFIED)
def test_a_declared_distribution_does_not_satisfy_what_it_does_not_provide(names, dist, import_path):
    assert not names.satisfies(names.provides(dist), import_path)


def test_namespace_distributions_never_provide_the_bare_root(names):
    for dist in ("google-cloud-storage", "protobuf", "google-auth", "azure-storage-blob", "opentelemetry-api"):
        provided = names.provides(dist)
        assert provided
        assert not provided & NAMESPACE_ROOTS
        assert all(path.partition(".")[0] in NAMESPACE_ROOTS for path in provided if "." in path)


def test_a_bare_namespace_import_is_satisfied_by_any_package_under_it():
    assert ImportNames.satisfies({"google.cloud.storage"}, "google")
    assert ImportNames.satisfies({"google.cloud.storage"}, "google.cloud")  # from google.cloud import *
    assert not ImportNames.satisfies({"yaml"}, "google")
    assert not ImportNames.satisfies({"googleapiclient"}, "google")


def test_versioned_siblings_count_only_below_a_namespace():
    assert ImportNames.satisfies({"google.cloud.firestore"}, "google.cloud.firestore_v1beta1")
    assert not ImportNames.satisfies({"google.cloud.firestore"}, "google.cloud.firestore_admin")
    assert not ImportNames.satisfies({"yaml"}, "yaml_v1")


def test_provides_is_never_empty_and_falls_back_to_the_name(names):
    assert names.provides("my-private.tool") >= {"my_private_tool"}
    assert names.provides("Flask-Private") >= {"Flask_Private", "flask_private"}


def test_provides_for_an_unknown_namespace_distribution_derives_its_path(names):
    assert "google.cloud.quantumwidgets" in names.provides("google-cloud-quantum-widgets") | names.provides(
        "google-cloud-quantumwidgets"
    )
    assert names.satisfies(names.provides("azure-brand-new-thing"), "azure.brand.new.thing.client")


# --- every real omission gets the right distribution name --------------------------------------------------------

SUGGESTED = [
    ("sklearn", "scikit-learn"),
    ("cv2", "opencv-python"),
    ("attr", "attrs"),
    ("jwt", "PyJWT"),
    ("docx", "python-docx"),
    ("jose", "python-jose"),
    ("environ", "django-environ"),
    ("faiss", "faiss-cpu"),
    ("telegram", "python-telegram-bot"),
    ("discord", "discord.py"),
    ("dotenv", "python-dotenv"),
    ("Crypto", "pycryptodome"),
    ("fitz", "PyMuPDF"),
    ("yaml", "PyYAML"),
    ("PIL", "Pillow"),
    ("bs4", "beautifulsoup4"),
    ("skimage", "scikit-image"),
    ("dateutil", "python-dateutil"),
    ("serial", "pyserial"),
    ("googleapiclient", "google-api-python-client"),
    ("google.protobuf", "protobuf"),
    ("google.oauth2", "google-auth"),
    ("google.cloud.storage", "google-cloud-storage"),
    ("google.cloud.pubsub_v1", "google-cloud-pubsub"),
    ("google.cloud.bigquery_storage_v1", "google-cloud-bigquery-storage"),
    ("azure.storage.blob", "azure-storage-blob"),
    ("azure.identity", "azure-identity"),
    ("opentelemetry.trace", "opentelemetry-api"),
    ("mpl_toolkits.mplot3d", "matplotlib"),
    ("ruamel.yaml", "ruamel.yaml"),
    ("rest_framework", "djangorestframework"),
    ("requests", "requests"),
]


@pytest.mark.parametrize(("import_path", "dist"), SUGGESTED)
def test_suggests_the_distribution_to_declare(names, import_path, dist):
    suggestion = names.suggest(import_path)
    assert suggestion.package == dist
    assert suggestion.known


@pytest.mark.parametrize(("import_path", "dist"), SUGGESTED)
def test_the_suggested_distribution_satisfies_its_import(names, import_path, dist):
    assert names.satisfies(names.provides(dist), import_path)


def test_suggest_uses_the_top_level_name_of_a_plain_import(names):
    assert names.suggest("yaml.loader").package == "PyYAML"


def test_a_popular_provider_beats_an_obscure_namesake(names):
    # Preconditions: nothing curated and nothing from pipreqs decides `autoapi`; pigar lists a project named
    # `autoapi` providing it, but sphinx-autoapi is the one people install.
    assert "autoapi" not in name_tables.curated().imports and "autoapi" not in name_tables.pipreqs_table().imports
    providers = {provider.key for provider in names._sources.index.providers("autoapi")}
    assert {"autoapi", "sphinx-autoapi"} <= providers
    assert names.suggest("autoapi").package == "sphinx-autoapi"


def test_a_popular_namesake_pigar_knows_no_modules_of_is_trusted(names):
    assert (
        "pytest_socket" not in name_tables.curated().imports
        and "pytest_socket" not in name_tables.pipreqs_table().imports
    )
    assert not names._sources.index.paths("pytest-socket")
    assert names.suggest("pytest_socket").package == "pytest-socket"


def test_pipreqs_names_are_canonicalised(names):
    # pipreqs writes `dateutil:python_dateutil`; the published name has dashes.
    assert "dateutil:python_dateutil" in pipreqs_lines()
    assert "slugify" in name_tables.pipreqs_table().imports
    assert names.canonical("python_dateutil") == "python-dateutil"


# --- ambiguous and unknown imports -------------------------------------------------------------------------------


def test_a_truly_ambiguous_import_names_its_candidates(names):
    suggestion = names.suggest("magic")
    assert (suggestion.package, suggestion.known) == ("python-magic", True)
    assert "file-magic" in suggestion.candidates


def test_every_opencv_variant_is_offered_for_cv2(names):
    suggestion = names.suggest("cv2")
    assert set(suggestion.candidates) == {
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    }


def test_ambiguity_in_pigar_prefers_names_containing_the_import_shortest_first(names):
    # No curated or pipreqs entry and no popular provider: pigar lists several projects providing `ajaximage`.
    providers = names._sources.index.providers("ajaximage")
    assert len(providers) > 1 and not any(provider.key in name_tables.popularity() for provider in providers)
    suggestion = names.suggest("ajaximage")
    containing = sorted((p for p in providers if "ajaximage" in p.key), key=lambda p: (len(p.key), p.key))
    assert suggestion.package == containing[0].name
    assert suggestion.known
    assert 0 < len(suggestion.candidates) <= 5
    for candidate in suggestion.candidates:
        assert "ajaximage" in names.provides(candidate)


def test_an_unknown_import_is_suggested_under_its_own_name(names):
    suggestion = names.suggest("surely_no_such_module_xq")
    assert (suggestion.package, suggestion.candidates, suggestion.known) == ("surely_no_such_module_xq", (), False)


def test_an_unknown_namespace_path_is_suggested_with_dashes(names):
    suggestion = names.suggest("google.cloud.surelynosuchthing")
    assert (suggestion.package, suggestion.known) == ("google-cloud-surelynosuchthing", False)


def test_a_bare_namespace_root_is_never_matched_to_one_distribution(names):
    for root in ("google", "azure"):
        suggestion = names.suggest(root)
        assert not suggestion.known
        assert suggestion.package == root


# --- user overrides ----------------------------------------------------------------------------------------------


def test_user_overrides_win_over_curated_data(use_index):
    names = load_import_names({"yaml": "our-yaml-fork", "google.cloud.storage": "our-gcs"})
    assert names.suggest("yaml").package == "our-yaml-fork"
    assert names.suggest("google.cloud.storage.blob").package == "our-gcs"
    assert names.satisfies(names.provides("Our_Yaml_Fork"), "yaml")
    assert names.satisfies(names.provides("our-gcs"), "google.cloud.storage")


def test_a_user_override_may_name_a_bare_namespace_root(use_index):
    names = load_import_names({"google": "protobuf"})
    assert names.suggest("google").package == "protobuf"
    assert names.satisfies(names.provides("protobuf"), "google")


def test_overrides_are_per_instance(use_index):
    load_import_names({"yaml": "our-yaml-fork"})
    assert load_import_names().suggest("yaml").package == "PyYAML"


# --- canonical names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "published"),
    [
        ("scikit_learn", "scikit-learn"),
        ("pyyaml", "PyYAML"),
        ("PYYAML", "PyYAML"),
        ("pillow", "Pillow"),
        ("pymupdf", "PyMuPDF"),
        ("no-such-project-xq", "no-such-project-xq"),
    ],
)
def test_canonical_names(names, written, published):
    assert names.canonical(written) == published


# --- import paths ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("the_ref", "path"),
    [
        (ref("yaml.loader"), "yaml"),
        (ref("yaml", "safe_load"), "yaml"),
        (ref("google.cloud", "storage"), "google.cloud.storage"),
        (ref("google.cloud.storage", "Client"), "google.cloud.storage"),
        (ref("google.cloud.storage.blob"), "google.cloud.storage"),
        (ref("google.protobuf", "json_format"), "google.protobuf"),
        (ref("google.protobuf.json_format"), "google.protobuf"),
        (ref("google", "genai"), "google.genai"),
        (ref("google.oauth2.service_account", "Credentials"), "google.oauth2"),
        (ref("google.cloud.pubsub_v1", "PublisherClient"), "google.cloud.pubsub_v1"),
        (ref("azure.storage.blob", "BlobServiceClient"), "azure.storage.blob"),
        (ref("ruamel.yaml", "YAML"), "ruamel.yaml"),
        # unknown: one component below the deepest namespace
        (ref("google.madeup.deeper", "x"), "google.madeup"),
        (ref("google.cloud.madeup.deeper", "x"), "google.cloud.madeup"),
        (ref("google"), "google"),
        (ref("google.cloud", "*"), "google.cloud"),
    ],
)
def test_import_path(names, the_ref, path):
    assert names.import_path(the_ref) == path


def test_import_paths_keeps_every_name_of_a_namespace_from_import(names):
    the_ref = ref("google.cloud", "storage", "bigquery")
    assert names.import_paths(the_ref) == ("google.cloud.storage", "google.cloud.bigquery")
    assert names.import_path(the_ref) == "google.cloud.storage"


# --- pipreqs' wrong entries are overridden -----------------------------------------------------------------------


def test_pipreqs_google_to_protobuf_is_not_used(names):
    assert "google:protobuf" in pipreqs_lines()
    assert names.suggest("google").package != "protobuf"
    assert "google" not in names.provides("protobuf")
    assert not names.satisfies(names.provides("protobuf"), "google.cloud.storage")


@pytest.mark.parametrize(
    ("line", "import_name", "right"),
    [
        ("docker:docker_py", "docker", "docker"),
        ("MySQLdb:MySQL-python", "MySQLdb", "mysqlclient"),
        ("msgpack:msgpack_python", "msgpack", "msgpack"),
        ("sklearn:scikit_learn", "sklearn", "scikit-learn"),
        ("oauth2_provider:alauda_django_oauth", "oauth2_provider", "django-oauth-toolkit"),
    ],
)
def test_curated_data_overrides_wrong_or_stale_pipreqs_entries(names, line, import_name, right):
    assert line in pipreqs_lines()
    assert names.suggest(import_name).package == right


# --- the curated data files --------------------------------------------------------------------------------------


def test_curated_entries_are_importable_paths_and_real_distributions(names):
    data = json.loads((DATA / "import_names.json").read_text("utf-8"))
    popular = name_tables.popularity()
    for import_path, dists in data["imports"].items():
        assert namespaces.DOTTED_PATH.match(import_path), import_path
        assert "." not in import_path or import_path.partition(".")[0] in NAMESPACE_ROOTS, import_path
        for dist in [dists] if isinstance(dists, str) else dists:
            known = names._sources.index.display_name(normalise(dist)) is not None
            assert known or normalise(dist) in popular, dist


def test_popular_list_is_normalised_and_unique():
    lines = [line for line in (DATA / "popular.txt").read_text("utf-8").splitlines() if not line.startswith("#")]
    assert len(lines) > 10_000
    assert len(set(lines)) == len(lines)
    assert all(line == normalise(line) for line in lines)


# --- the derived index -------------------------------------------------------------------------------------------


def test_the_shipped_index_holds_normalised_names_and_module_paths():
    index = import_index.Index(import_index.SHIPPED_INDEX)
    assert index.display_name("pyyaml") == "PyYAML" and index.display_name("scikit-learn") == "scikit-learn"
    gcs = index.paths("google-cloud-storage")
    assert "google.cloud.storage" in gcs and "google" not in gcs
    assert {provider.name for provider in index.providers("yaml")} >= {"PyYAML"}


def test_the_index_is_read_from_the_package_whatever_home_and_the_cache_are(tmp_path):
    environ = {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    assert mapping.default_index_path(environ) == DATA / "import_index.bin"
    assert (DATA / "import_index.bin").stat().st_size < 12_000_000  # compact: it ships in the wheel


def test_index_is_used_where_the_env_var_points(monkeypatch):
    monkeypatch.setenv(mapping.INDEX_ENV, str(DATA / "import_index.bin"))
    assert mapping.default_index_path() == DATA / "import_index.bin"
    assert load_import_names().suggest("sklearn").package == "scikit-learn"


def test_lookups_import_neither_pigar_nor_heavy_modules(use_index):
    code = (
        "import sys; from pipreqs_action.mapping import load_import_names as load; n = load();"
        "n.suggest('autoapi'); n.provides('flask'); n.canonical('pyyaml');"
        "heavy = ('pigar', 'packaging', 'importlib.resources', 'importlib.metadata');"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ)
    assert result.stdout.strip() == "[]"
