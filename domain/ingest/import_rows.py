"""Rows of client and contact import files: accepted header names and pydantic validation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints

from domain.enums import ContactRole, ContractTier, LifecycleStatus
from domain.ingest.cells import (
    parse_amount,
    parse_choice,
    parse_count,
    parse_date,
    parse_email,
    parse_flag,
    parse_list,
)
from domain.ingest.csv_table import CsvTable
from domain.ingest.reports import RowError

Row = TypeVar("Row", bound=BaseModel)

Date = Annotated[dt.date, BeforeValidator(parse_date)]
Count = Annotated[int, BeforeValidator(parse_count)]
Flag = Annotated[bool, BeforeValidator(parse_flag)]
Items = Annotated[list[str], BeforeValidator(parse_list)]
Email = Annotated[str, BeforeValidator(parse_email)]


Text40 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Text100 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Text120 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text254 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]
Status = Annotated[
    LifecycleStatus, BeforeValidator(lambda text: parse_choice(text, LifecycleStatus, "lifecycle status"))
]
Tier = Annotated[ContractTier, BeforeValidator(lambda text: parse_choice(text, ContractTier, "contract tier"))]
Role = Annotated[ContactRole, BeforeValidator(lambda text: parse_choice(text, ContactRole, "contact role"))]
Amount = Annotated[Decimal, BeforeValidator(parse_amount)]


# Seed 004 field names first, then the names spreadsheets and CRMs tend to use.
CLIENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("client", "client_name", "company", "company_name", "account", "account_name"),
    "external_id": ("organization_id", "org_id", "client_external_id", "platform_id"),
    "industry": ("vertical", "sector"),
    "employee_count": ("employees", "headcount", "number_of_employees"),
    "region": ("territory",),
    "lifecycle_status": ("status", "lifecycle", "stage"),
    "contract_tier": ("tier", "plan"),
    "contract_start_date": ("contract_start", "start_date"),
    "contract_end_date": ("contract_end", "end_date"),
    "annual_recurring_revenue": ("arr", "annual_revenue"),
    "licensed_modules": ("modules",),
    "licensed_user_count": ("licensed_users", "seats", "user_licenses"),
    "csm": ("csm_user_id", "csm_email", "customer_success_manager"),
    "ae": ("ae_user_id", "ae_email", "account_executive"),
    "salesforce_account_id": ("salesforce_id", "sfdc_id"),
    "hubspot_company_id": ("hubspot_id",),
    "go_live_date": ("go_live", "launch_date"),
    "next_renewal_date": ("renewal_date", "renewal"),
    "tags": ("labels",),
    "segment": (),
}

CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "client": ("client_name", "company", "account", "client_id", "client_external_id", "organization_id"),
    "name": ("contact_name", "full_name", "contact"),
    "first_name": ("given_name",),
    "last_name": ("surname", "family_name"),
    "email": ("email_address", "e_mail"),
    "phone": ("phone_number", "mobile"),
    "title": ("job_title", "position"),
    "role": ("contact_role",),
    "is_primary": ("primary", "primary_contact"),
    "is_billing": ("billing", "billing_contact"),
    "is_technical": ("technical", "technical_contact"),
    "platform_user_ref": ("user_id", "platform_user_id", "platform_user"),
    "notes": ("note", "comments"),
}


class ClientImportRow(BaseModel):
    """One client row; a field left empty keeps the stored value (or the default, for a new client)."""

    model_config = ConfigDict(extra="forbid")

    name: Text200
    external_id: Text100 | None = None
    industry: Text100 | None = None
    employee_count: Count | None = None
    region: Text100 | None = None
    lifecycle_status: Status | None = None
    contract_tier: Tier | None = None
    contract_start_date: Date | None = None
    contract_end_date: Date | None = None
    annual_recurring_revenue: Amount | None = None
    licensed_modules: Items | None = None
    licensed_user_count: Count | None = None
    csm: Text254 | None = None  # email (or id) of a staff user, resolved by the importer
    ae: Text254 | None = None
    salesforce_account_id: Text40 | None = None
    hubspot_company_id: Text40 | None = None
    go_live_date: Date | None = None
    next_renewal_date: Date | None = None
    tags: Items | None = None
    segment: Text100 | None = None


class ContactImportRow(BaseModel):
    """One contact row; `name` may come as first and last name."""

    model_config = ConfigDict(extra="forbid")

    client: Text200
    name: Text200 | None = None
    first_name: Text100 | None = None
    last_name: Text100 | None = None
    email: Email | None = None
    phone: Text40 | None = None
    title: Text120 | None = None
    role: Role | None = None
    is_primary: Flag | None = None
    is_billing: Flag | None = None
    is_technical: Flag | None = None
    platform_user_ref: Text100 | None = None
    notes: str | None = None

    @property
    def full_name(self) -> str | None:
        if self.name:
            return self.name
        parts = [part for part in (self.first_name, self.last_name) if part]
        return " ".join(parts) or None


def validate_row(model: type[Row], table: CsvTable, line: int, cells: dict[str, str]) -> Row | list[RowError]:
    """The validated row, or one error per bad cell naming the row and the column."""
    try:
        return model.model_validate(cells)
    except pydantic.ValidationError as exc:
        return [_row_error(table, line, cells, error) for error in exc.errors(include_url=False)]


def _row_error(table: CsvTable, line: int, cells: dict[str, str], error: Any) -> RowError:
    name = str(error["loc"][0]) if error["loc"] else None
    column = table.label(name) if name else None
    if error["type"] == "missing":
        return RowError(row=line, column=column, message="required, but empty")
    if error["type"] == "value_error":
        return RowError(row=line, column=column, message=str(error["ctx"]["error"]))
    shown = cells.get(name, "") if name else ""
    return RowError(row=line, column=column, message=f"{error['msg'].lower()}: {shown!r}")
