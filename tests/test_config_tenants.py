"""ALLOWED_TENANT_IDS and FACILITATORS as settings: parsing, the tenant check, and the pure
problem lists the launch checks read (`tenant_problems`, `facilitator_problems`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from config import Settings
from launch_checks import settings_problems

HOME = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER = "00000000-0000-4000-8000-0000000000a1"


def _from(environ: dict[str, str]) -> Settings:
    return Settings.from_env(environ, env_file=None)


def test_tenants_are_comma_or_space_separated_lower_cased_in_order_once_each() -> None:
    settings = _from({"ALLOWED_TENANT_IDS": f" {HOME.upper()}, {OTHER}  {HOME} ,"})
    assert settings.allowed_tenant_ids == (HOME, OTHER)
    assert settings.home_tenant == HOME


def test_without_a_list_every_tenant_is_allowed_and_there_is_no_home_tenant() -> None:
    settings = _from({})
    assert settings.allowed_tenant_ids == () and settings.home_tenant == ""
    assert settings.tenant_allowed(OTHER) and settings.tenant_allowed("")


@pytest.mark.parametrize(
    ("tenant", "allowed"),
    [
        (HOME, True),
        (HOME.upper(), True),
        (f" {OTHER} ", True),
        ("", False),
        ("11111111-2222-4333-8444-555555555555", False),
    ],
)
def test_with_a_list_only_listed_tenants_are_allowed(tenant: str, allowed: bool) -> None:
    assert _from({"ALLOWED_TENANT_IDS": f"{HOME},{OTHER}"}).tenant_allowed(tenant) is allowed


def test_tenant_problems_name_a_missing_list() -> None:
    (problem,) = _from({}).tenant_problems()
    assert problem.startswith("ALLOWED_TENANT_IDS is not set")
    assert _from({"ALLOWED_TENANT_IDS": HOME}).tenant_problems() == []


def test_tenant_problems_name_an_entry_that_is_not_a_tenant_id() -> None:
    (problem,) = _from({"ALLOWED_TENANT_IDS": f"{HOME}, trust.nhs.uk"}).tenant_problems()
    assert "'trust.nhs.uk' is not a tenant id" in problem


def test_tenant_problems_name_a_single_tenant_bot_whose_own_tenant_is_not_listed() -> None:
    single = {"MICROSOFT_APP_TYPE": "SingleTenant", "MICROSOFT_APP_TENANT_ID": HOME, "ALLOWED_TENANT_IDS": OTHER}
    (problem,) = _from(single).tenant_problems()
    assert "MICROSOFT_APP_TENANT_ID" in problem
    assert _from({**single, "ALLOWED_TENANT_IDS": f"{OTHER},{HOME}"}).tenant_problems() == []


def test_the_problem_lists_are_pure_and_never_raise_in_development() -> None:
    settings = _from({"ALLOWED_TENANT_IDS": "not-a-guid", "FACILITATORS": "default-user"})
    assert settings.environment == "development"
    assert len(settings.tenant_problems()) == 1 and len(settings.facilitator_problems()) == 1


def test_facilitator_problems_name_entries_production_ignores() -> None:
    settings = _from({"FACILITATORS": f"fran@trust.nhs.uk, {HOME}, T0123ABCD:U0456EFGH, 29:abc, default-user"})
    ignored = "is not an email, an Entra object id or a Slack <workspace id>:<user id>; production ignores it"
    assert settings.facilitator_problems() == [
        f"FACILITATORS: '29:abc' {ignored}",
        f"FACILITATORS: 'default-user' {ignored}",
    ]


def test_the_facilitator_directory_follows_the_settings() -> None:
    development = _from({"FACILITATORS": "fran@trust.nhs.uk", "ALLOWED_TENANT_IDS": f"{HOME},{OTHER}"})
    directory = development.facilitator_directory
    assert (directory.configured, directory.tenants, directory.home_tenant, directory.user_ids) == (
        frozenset({"fran@trust.nhs.uk"}),
        (HOME, OTHER),
        HOME,
        True,
    )
    production = Settings(environment="production", facilitators=frozenset({"u-1"}))
    assert production.facilitator_directory.user_ids is False


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"allowed_tenant_ids": ("trust.nhs.uk",)}, "ALLOWED_TENANT_IDS: 'trust.nhs.uk' is not a tenant id"),
        (
            {"app_type": "SingleTenant", "app_tenant_id": OTHER},
            "ALLOWED_TENANT_IDS does not list MICROSOFT_APP_TENANT_ID",
        ),
        ({"facilitators": frozenset({"29:abc"})}, "FACILITATORS: '29:abc' is not an email"),
    ],
)
def test_the_launch_checks_name_each_tenant_and_facilitator_problem(change: dict[str, Any], expected: str) -> None:
    ready = Settings(
        environment="production",
        public_url="https://plp.example.nhs.uk",
        app_id="00000000-0000-4000-8000-00000000b071",
        app_password="secret",
        allowed_tenant_ids=(HOME,),
        signing_key="k" * 32,
        facilitators=frozenset({"fran@trust.nhs.uk", HOME, "t0123abcd:u0456efgh"}),
    )
    assert settings_problems(ready) == ()
    (problem,) = settings_problems(replace(ready, **change))
    assert problem.startswith(expected)
