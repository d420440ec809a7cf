"""Launch checks: each problem production refuses on is named, all at once; development only warns;
an unknown PLP_ENV is refused in every mode."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from config import Settings
from domain.core.content import CONTENT_DIR
from domain.guide.content import load_guide
from domain.notice.content import load_notice
from domain.polls.content import load_poll_templates
from launch_checks import LaunchContent, content_problems, launch_report, settings_problems

READY = Settings(
    environment="production",
    public_url="https://plp.example.nhs.uk",
    app_id="00000000-0000-4000-8000-00000000b071",
    app_password="secret",
    allowed_tenant_ids=("11111111-2222-4333-8444-555555555555",),
    signing_key="k" * 32,
)


def _shipped() -> LaunchContent:
    return LaunchContent(load_guide().support, load_poll_templates(), load_notice())


def filled_content(folder: Path) -> Path:
    """A copy of guide_content/ with every placeholder filled in, as a trust would before launch."""
    shutil.copytree(CONTENT_DIR, folder)
    for path in folder.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("CONFIRM LOCALLY:", "Confirmed:")
        for placeholder, value in (("[period]", "12 months"), ("[date]", "1 May 2028"), ("[lead]", "the PLP lead")):
            text = text.replace(placeholder, value)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def filled(tmp_path: Path) -> LaunchContent:
    folder = filled_content(tmp_path / "guide_content")
    return LaunchContent(load_guide(folder).support, load_poll_templates(folder), load_notice(folder))


def test_a_ready_production_start_has_no_problems(filled: LaunchContent) -> None:
    report = launch_report(READY, filled)
    assert report.problems == () and not report.refuse


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"environment": "prod"}, "PLP_ENV must be exactly 'development' or 'production', not 'prod'"),
        ({"environment": "Production"}, "PLP_ENV must be exactly 'development' or 'production', not 'Production'"),
        ({"public_url": "http://plp.example.nhs.uk"}, "PLP_PUBLIC_URL must be the bot's public https:// address"),
        ({"public_url": "https://"}, "PLP_PUBLIC_URL must be"),
        ({"public_url": "plp.example.nhs.uk"}, "PLP_PUBLIC_URL must be"),
        ({"app_id": ""}, "MICROSOFT_APP_ID is missing"),
        ({"app_password": ""}, "MICROSOFT_APP_PASSWORD is missing"),
        ({"allowed_tenant_ids": ()}, "ALLOWED_TENANT_IDS is missing"),
        ({"signing_key": ""}, "PLP_SIGNING_KEY is missing"),
        ({"signing_key": "k" * 31}, "PLP_SIGNING_KEY is shorter than 32 bytes"),
        ({"signing_keys_old": f"{'o' * 32},short"}, "PLP_SIGNING_KEYS_OLD: key 2 is shorter than 32 bytes"),
    ],
)
def test_each_unsafe_setting_is_named_and_refused(filled: LaunchContent, change: dict[str, Any], expected: str) -> None:
    report = launch_report(replace(READY, **change), filled)
    assert len(report.problems) == 1 and report.problems[0].startswith(expected)
    assert report.refuse


def test_the_signing_key_is_measured_in_bytes_not_characters(filled: LaunchContent) -> None:
    assert settings_problems(replace(READY, signing_key="é" * 16)) == ()  # 16 characters, 32 bytes


def test_the_signing_key_itself_is_never_printed() -> None:
    secret = "short-but-secret"
    assert not any(secret in problem for problem in settings_problems(replace(READY, signing_key=secret)))


def test_everything_missing_is_listed_at_once() -> None:
    problems = settings_problems(Settings(environment="production"))
    assert [problem.split(" ")[0] for problem in problems] == [
        "PLP_PUBLIC_URL",
        "MICROSOFT_APP_ID",
        "MICROSOFT_APP_PASSWORD",
        "ALLOWED_TENANT_IDS",
        "PLP_SIGNING_KEY",
    ]


def test_shipped_content_names_each_placeholder_left() -> None:
    problems = content_problems(_shipped())
    support = [p for p in problems if p.startswith("guide_content/support.yaml: ")]
    assert [p.split(": ")[1] for p in support] == [
        "trust_contacts 'speak-up-guardian'",
        "trust_contacts 'race-equality-network'",
        "trust_contacts 'union-rep'",
        "trust_contacts 'hr-or-manager'",
        "trust_contacts 'occupational-health'",
    ]
    assert '"CONFIRM LOCALLY: the Guardian\'s name or team"' in support[0]
    (survey,) = [p for p in problems if p.startswith("guide_content/polls: ")]
    assert survey.startswith("guide_content/polls: template 'evaluation_survey' consent: replace the placeholders ")
    assert '"[period]"' in survey and '"[lead]"' in survey  # as the shipped consent words them
    privacy = [p for p in problems if p.startswith("guide_content/privacy.yaml: ")]
    assert len(privacy) == 4 and "contacts: 'Your trust's data protection officer'" in privacy[3]
    assert len(problems) == len(support) + 1 + len(privacy)


def test_a_placeholder_anywhere_in_a_poll_template_is_found(filled: LaunchContent) -> None:
    survey = filled.poll_templates["evaluation_survey"]
    question = replace(survey.questions[1], text="How often did you meet [name]?")
    templates = {**filled.poll_templates, "evaluation_survey": replace(survey, questions=(question,))}
    problems = content_problems(replace(filled, poll_templates=templates))
    assert problems == (
        f"guide_content/polls: template 'evaluation_survey' question '{question.id}': "
        'replace the placeholder "[name]"',
    )


def test_a_placeholder_in_a_national_option_or_the_wording_is_found(filled: LaunchContent) -> None:
    support = filled.support
    national = (replace(support.national[0], url="https://CONFIRM LOCALLY"), *support.national[1:])
    changed = replace(support, national=national, crisis_intro="[crisis line] first")
    problems = content_problems(replace(filled, support=changed))
    assert [p.split(": replace")[0] for p in problems] == [
        "guide_content/support.yaml: wording 'crisis_intro'",
        f"guide_content/support.yaml: national '{support.national[0].id}'",
    ]


def test_a_long_placeholder_is_shortened_in_the_message(filled: LaunchContent) -> None:
    support = replace(filled.support, choices_intro="CONFIRM LOCALLY: " + "x" * 200)
    (problem,) = content_problems(replace(filled, support=support))
    assert problem.endswith('..."') and len(problem) < 200


def test_development_warns_about_the_same_problems_but_starts() -> None:
    development = Settings()  # shipped content, no credentials: what a laptop runs
    report = launch_report(development, _shipped())
    production = launch_report(replace(development, environment="production"), _shipped())
    assert not report.refuse and production.refuse
    assert report.problems == production.problems and len(report.problems) == 15


def test_an_unknown_environment_is_refused_even_with_nothing_else_wrong(filled: LaunchContent) -> None:
    report = launch_report(replace(READY, environment="staging"), filled)
    assert report.refuse and report.problems == (
        "PLP_ENV must be exactly 'development' or 'production', not 'staging'",
    )


def test_slack_alone_needs_no_teams_credentials_but_its_workspace_list() -> None:
    slack_only = replace(
        READY, app_id="", app_password="", allowed_tenant_ids=(), slack_bot_token="xoxb-1", slack_signing_secret="s"
    )
    (problem,) = settings_problems(slack_only)
    assert problem.startswith("ALLOWED_SLACK_TEAM_IDS is missing")
    assert settings_problems(replace(slack_only, allowed_slack_team_ids=frozenset({"T0123"}))) == ()
    both = replace(READY, slack_bot_token="xoxb-1", slack_signing_secret="s", allowed_slack_team_ids=frozenset({"T1"}))
    assert settings_problems(replace(both, allowed_tenant_ids=()))[0].startswith("ALLOWED_TENANT_IDS is missing")
