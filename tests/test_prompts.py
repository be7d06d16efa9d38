import pytest

from regioassist.prompts import DEFAULT_PHRASES, PromptError, load_phrases

pytestmark = pytest.mark.unit


def test_shipped_prompt_file_is_valid_for_both_languages():
    phrases = load_phrases(DEFAULT_PHRASES)
    assert set(phrases) == {"nl", "en"}
    assert phrases["en"]["decline_missing"].format(missing="x").endswith("x.")


@pytest.mark.parametrize(
    "text, message",
    [
        ('[en]\ndecline = "x"\n', "no [nl] table"),
        ('[nl]\ndecline = "x"\n', "[nl] has no text for 'decline_missing'"),
        ("[nl\n", "not valid TOML"),
    ],
)
def test_broken_files_fail_in_one_line(tmp_path, text, message):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PromptError) as caught:
        load_phrases(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_lost_placeholder_is_an_error(tmp_path):
    good = DEFAULT_PHRASES.read_text(encoding="utf-8")
    path = tmp_path / "p.toml"
    path.write_text(good.replace("over {topic}, per vergadering", "per vergadering"), encoding="utf-8")
    with pytest.raises(PromptError, match=r"\[nl\] 'decisions' must contain \{topic\}"):
        load_phrases(path)


def test_missing_file(tmp_path):
    with pytest.raises(PromptError, match="prompt file not found"):
        load_phrases(tmp_path / "none.toml")
