"""Client and contact CSV imports: header aliases, upserts, and errors that name row and column."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.clients.models import Client, Contact
from domain.enums import ContactRole, ContractTier
from domain.errors import ValidationError
from domain.ingest.clients_import import import_clients
from domain.ingest.contacts_import import import_contacts
from domain.staff.models import Workspace
from tests.factories import Factory


def write_csv(tmp_path: Path, text: str, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_text(text.strip() + "\n", encoding="utf-8")
    return path


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


def clients_of(db_session: Session, workspace: Workspace) -> dict[str, Client]:
    rows = db_session.scalars(select(Client).where(Client.workspace_id == workspace.id))
    return {client.name: client for client in rows}


def test_clients_are_created_through_friendly_header_names(
    db_session: Session, factory: Factory, workspace: Workspace, tmp_path: Path
) -> None:
    csm = factory.user(workspace, email="dana@csm.test")
    path = write_csv(
        tmp_path,
        """
Client Name,Organization ID,Tier,Contract Start,Annual Recurring Revenue,Renewal Date,CSM,Modules,Shoe Size
Acme Corp,ORG-1,enterprise,2025-01-15,"$120,000",2026-01-15,Dana@CSM.test,Case Management; Analytics,42
""",
    )

    report = import_clients(db_session=db_session, workspace_id=workspace.id, path=path, actor_user_id=csm.id)

    assert (report.rows_read, report.created, report.errors) == (1, 1, [])
    assert report.ignored_columns == ["Shoe Size"]
    acme = clients_of(db_session, workspace)["Acme Corp"]
    assert acme.external_id == "ORG-1"
    assert acme.contract_tier is ContractTier.ENTERPRISE
    assert acme.contract_start_date == dt.date(2025, 1, 15)
    assert acme.annual_recurring_revenue == Decimal("120000.00")
    assert acme.next_renewal_date == dt.date(2026, 1, 15)
    assert acme.csm_user_id == csm.id
    assert acme.licensed_modules == ["Case Management", "Analytics"]
    audit = db_session.scalars(select(AuditLog).where(AuditLog.entity_id == str(acme.id))).one()
    assert (audit.action, audit.entity_type, audit.channel) == ("create", "client", "import")
    assert audit.actor_user_id == csm.id


@pytest.mark.parametrize("header", ["ARR", "annual_recurring_revenue", "Annual Recurring Revenue", " arr "])
def test_arr_has_several_names(db_session: Session, workspace: Workspace, tmp_path: Path, header: str) -> None:
    path = write_csv(tmp_path, f"name,contract_tier,contract_start_date,{header}\nInitech,STARTER,2025-02-01,5000")

    import_clients(db_session=db_session, workspace_id=workspace.id, path=path)

    assert clients_of(db_session, workspace)["Initech"].annual_recurring_revenue == Decimal("5000.00")


def test_bad_rows_are_skipped_with_row_and_column_and_good_rows_kept(
    db_session: Session, workspace: Workspace, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        """
name,tier,contract_start_date,renewal_date,ARR,csm
Good One,STARTER,2025-01-01,2026-01-01,100,
Bad Date,STARTER,2025-01-01,2026-13-01,100,
Bad Tier,GOLD,2025-01-01,,100,
Bad Money,STARTER,2025-01-01,,-5,
Bad CSM,STARTER,2025-01-01,,,nobody@example.com
No Tier,,2025-01-01,,,
Good Two,CUSTOM,3/1/2025,,,
""",
    )

    report = import_clients(db_session=db_session, workspace_id=workspace.id, path=path)

    assert (report.rows_read, report.created, report.skipped) == (7, 2, 5)
    assert [str(error) for error in report.errors] == [
        "row 3, column 'renewal_date': not a date: '2026-13-01'",
        "row 4, column 'tier': not a contract tier: 'GOLD' (expected one of STARTER, PROFESSIONAL, ENTERPRISE, CUSTOM)",
        "row 5, column 'ARR': not an amount between 0 and 999,999,999,999.99: '-5'",
        "row 6, column 'csm': no staff user 'nobody@example.com' in this workspace",
        "row 7, column 'tier': required for a new client",
    ]
    assert set(clients_of(db_session, workspace)) == {"Good One", "Good Two"}
    assert clients_of(db_session, workspace)["Good Two"].contract_start_date == dt.date(2025, 3, 1)


def test_clients_upsert_by_external_id_then_by_name(
    db_session: Session, factory: Factory, workspace: Workspace, tmp_path: Path
) -> None:
    acme = factory.client(workspace, name="Acme", external_id="ORG-1")
    globex = factory.client(workspace, name="Globex")
    path = write_csv(
        tmp_path,
        """
external_id,name,ARR,segment
ORG-1,Acme Corp,75000,
ORG-2,globex,,Mid-market
""",
    )

    first = import_clients(db_session=db_session, workspace_id=workspace.id, path=path)
    again = import_clients(db_session=db_session, workspace_id=workspace.id, path=path)

    assert (first.created, first.updated, first.errors) == (0, 2, [])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (acme.name, acme.annual_recurring_revenue) == ("Acme Corp", Decimal("75000.00"))
    assert (globex.name, globex.external_id, globex.segment) == ("globex", "ORG-2", "Mid-market")
    assert acme.contract_tier is ContractTier.PROFESSIONAL  # empty or absent cells keep stored values
    updates = db_session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "update"))
    assert updates == 2
    audit = db_session.scalars(select(AuditLog).where(AuditLog.entity_id == str(acme.id))).one()
    assert audit.before is not None
    assert audit.before["name"] == "Acme"
    assert Decimal(audit.before["annual_recurring_revenue"]) == Decimal("50000")
    assert audit.after == {"name": "Acme Corp", "annual_recurring_revenue": "75000.00"}


def test_conflicting_names_and_dates_are_reported(
    db_session: Session, factory: Factory, workspace: Workspace, tmp_path: Path
) -> None:
    factory.client(workspace, name="Acme", external_id="ORG-1")
    factory.client(workspace, name="Globex", external_id="ORG-2")
    path = write_csv(
        tmp_path,
        """
external_id,name,contract_end_date
ORG-1,Globex,
ORG-3,Acme,
ORG-2,Globex,2024-12-31
""",
    )

    report = import_clients(db_session=db_session, workspace_id=workspace.id, path=path)

    assert [str(error) for error in report.errors] == [
        "row 2, column 'name': another client is already named 'Globex'",
        "row 3, column 'external_id': client 'Acme' already has external id 'ORG-1'",
        "row 4, column 'contract_end_date': ends (2024-12-31) before the contract starts (2025-01-01)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tier,ARR\nSTARTER,5", "has no column for name"),
        ("name,ARR,Annual Recurring Revenue\nA,1,2", "both mean annual_recurring_revenue"),
    ],
)
def test_unusable_headers_refuse_the_whole_file(
    db_session: Session, workspace: Workspace, tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        import_clients(db_session=db_session, workspace_id=workspace.id, path=write_csv(tmp_path, text))
    assert clients_of(db_session, workspace) == {}


def test_only_csv_files_are_imported(db_session: Session, workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"expected a \.csv file"):
        import_clients(db_session=db_session, workspace_id=workspace.id, path=write_csv(tmp_path, "name", "c.xlsx"))


def test_contacts_upsert_by_client_and_email(
    db_session: Session, factory: Factory, workspace: Workspace, tmp_path: Path
) -> None:
    acme = factory.client(workspace, name="Acme Corp", external_id="ORG-1")
    existing = factory.contact(acme, name="Pat Lee", email="pat@acme.test", title="Analyst")
    path = write_csv(
        tmp_path,
        """
Company,First Name,Last Name,Email Address,Job Title,Role,Primary,User ID
ORG-1,Pat,Lee,PAT@acme.test,Director,Champion,yes,u-17
acme corp,Sam,Ortiz,sam@acme.test,,Executive Sponsor,no,
""",
    )

    first = import_contacts(db_session=db_session, workspace_id=workspace.id, path=path)
    again = import_contacts(db_session=db_session, workspace_id=workspace.id, path=path)

    assert (first.created, first.updated, first.errors) == (1, 1, [])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert (existing.title, existing.role, existing.is_primary) == ("Director", ContactRole.CHAMPION, True)
    assert existing.platform_user_ref == "u-17"
    sam = db_session.scalars(select(Contact).where(Contact.email == "sam@acme.test")).one()
    assert (sam.client_id, sam.name, sam.role) == (acme.id, "Sam Ortiz", ContactRole.EXECUTIVE_SPONSOR)


def test_contact_errors_name_row_and_column(
    db_session: Session, factory: Factory, workspace: Workspace, tmp_path: Path
) -> None:
    factory.client(workspace, name="Acme")
    path = write_csv(
        tmp_path,
        """
client,name,email,role,is_billing
Nobody Inc,A,a@x.test,,
Acme,B,not-an-email,,
Acme,C,c@x.test,boss,
Acme,D,d@x.test,,maybe
Acme,,e@x.test,,
Acme,F,f@x.test,admin,Y
""",
    )

    report = import_contacts(db_session=db_session, workspace_id=workspace.id, path=path)

    assert (report.created, report.skipped) == (1, 5)
    assert [str(error) for error in report.errors] == [
        "row 2, column 'client': unknown client 'Nobody Inc'",
        "row 3, column 'email': not an email address: 'not-an-email'",
        "row 4, column 'role': not a contact role: 'boss' (expected one of CHAMPION, EXECUTIVE_SPONSOR, ADMIN, USER, "
        "BILLING, OTHER)",
        "row 5, column 'is_billing': not yes or no: 'maybe'",
        "row 6, column 'name': required, but empty",
    ]
