"""Add-on folders with install instructions of their own (``addons``)."""

from __future__ import annotations

from pipreqs_action.app_code.addons import addon_reasons, installed_names

README = "Wrapper\n\nTo install Detectron2, please follow the official instructions.\n"


def test_names_after_install_in_a_readme_are_read_as_import_names() -> None:
    text = "pip install -U fvcore\nTo install Detectron2, see INSTALL.md.\nInstalling the opencv-python wheel\n"
    assert installed_names(text) == [("fvcore", 1), ("detectron2", 2), ("opencv_python", 3)]


APP = ["main.py", "d2/train_net.py", "d2/detr/config.py"]
IMPORTED = {"main.py": ["models"], "d2/train_net.py": ["detectron2", "detr"]}
THIRD_PARTY = {"main.py": ["torch"], "d2/train_net.py": ["detectron2"], "d2/detr/config.py": ["fvcore"]}


def judge(
    app_code: list[str] = APP,
    imported: dict[str, list[str]] = IMPORTED,
    third_party: dict[str, list[str]] = THIRD_PARTY,
) -> dict[str, str]:
    return addon_reasons(app_code, {"d2/README.md": README}, imported, third_party)


def test_a_folder_whose_readme_installs_what_only_it_imports_is_an_add_on() -> None:
    reason = "d2/, an add-on with install instructions of its own (d2/README.md:3 installs detectron2)"
    assert judge() == {"d2/train_net.py": reason, "d2/detr/config.py": reason}


def test_a_folder_the_app_imports_stays_the_app_s() -> None:
    assert judge(imported={"main.py": ["detr"]}) == {}
    assert judge(imported={"main.py": ["d2"]}) == {}


def test_a_package_the_app_imports_elsewhere_too_is_not_the_add_on_s_own() -> None:
    assert judge(third_party={"main.py": ["detectron2"], "d2/train_net.py": ["detectron2"]}) == {}


def test_a_folder_holding_the_whole_app_is_the_app() -> None:
    assert judge(app_code=["d2/train_net.py", "d2/detr/config.py"]) == {}
