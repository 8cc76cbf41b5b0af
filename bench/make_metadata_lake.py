#!/usr/bin/env python3
"""Writes a metadata-only Dynamics 365 F&O "Export to Data Lake" folder for the discovery benchmark.

The shape is the one large F&O exports have and that `cdmlake generate` writes (src/generate/d365_lake.cc):

  Tables/Tables.manifest.cdm.json                         root, sub-manifests only
  Tables/<Area>/<Area>.manifest.cdm.json                  e.g. Finance
  Tables/<Area>/<Module>/<Module>.manifest.cdm.json       e.g. AccountsReceivable
  Tables/<Area>/<Module>/<Group>/<Group>.manifest.cdm.json  leaf: entities (dataPartitions: []) and relationships
  Tables/<Area>/<Module>/<Group>/<Entity>.cdm.json        resolved entity document

By default 5 areas x 8 modules x 5 table groups = 200 leaf manifests with 10 entities each: 2,000 entities with
20-60 attributes (Int64, Int32, String with maximumLength, Decimal with is.dataFormat.numeric.shaped, DateTime,
and Int32 enums with is.constrainedList.wellKnown), every entity name unique. The JSON is written exactly as
nlohmann::ordered_json::dump(2) does in the generator (same keys, same order, two-space indent). Output is a
pure function of the arguments (the same seed writes the same bytes).

Usage: make_metadata_lake.py --out DIR [--areas 5] [--modules 8] [--groups 5] [--per-leaf 10] [--seed 42]
"""

import argparse
import json
import os
import random
import sys

AREAS = [
    ("Finance", [("AccountsReceivable", "Cust"), ("AccountsPayable", "Vend"), ("GeneralLedger", "Ledger"),
                 ("CashAndBankManagement", "Bank"), ("FixedAssets", "Asset"), ("Budgeting", "Budget"),
                 ("Tax", "Tax"), ("ExpenseManagement", "TrvExp")]),
    ("SupplyChain", [("SalesAndMarketing", "Sales"), ("ProcurementAndSourcing", "Purch"),
                     ("InventoryManagement", "Invent"), ("ProductInformationManagement", "EcoRes"),
                     ("WarehouseManagement", "WHS"), ("ProductionControl", "Prod"), ("MasterPlanning", "Req"),
                     ("TransportationManagement", "TMS")]),
    ("CommonCore", [("GlobalAddressBook", "Dir"), ("Currency", "Currency"), ("NumberSequences", "NumberSequence"),
                    ("SystemAdministration", "SysUser"), ("Organization", "OMOperatingUnit"),
                    ("Workflow", "Workflow"), ("DocumentManagement", "Docu"), ("Calendars", "WorkCalendar")]),
    ("HumanResources", [("Personnel", "HcmWorker"), ("Compensation", "HcmComp"), ("Benefits", "HcmBenefit"),
                        ("LeaveAndAbsence", "LeavePlan"), ("Payroll", "Payroll"), ("Recruitment", "HRMRecruiting"),
                        ("Training", "HRMCourse"), ("PerformanceManagement", "HcmGoal")]),
    ("Commerce", [("Retail", "RetailStore"), ("Channels", "RetailChannel"), ("Pricing", "PriceDisc"),
                  ("Loyalty", "RetailLoyalty"), ("Catalogs", "RetailCatalog"), ("Statements", "RetailStatement"),
                  ("Payments", "RetailTender"), ("Assortments", "RetailAssortment")]),
]

# F&O table groups, each with the name endings of its tables (10 per group, disjoint across groups).
GROUPS = [
    ("Main", ["Table", "Parameters", "Setup", "Type", "Code", "Attribute", "Address", "Contact", "Profile",
              "Version"]),
    ("Group", ["Group", "Category", "PostingProfile", "Template", "Class", "Rule", "Policy", "Classification",
               "Segment", "Hierarchy"]),
    ("Transaction", ["Trans", "TransOpen", "Settlement", "InvoiceJour", "InvoiceTrans", "PackingSlipJour",
                     "PackingSlipTrans", "ConfirmJour", "JournalTrans", "Posting"]),
    ("WorksheetHeader", ["Header", "JournalTable", "Order", "Agreement", "Request", "Quotation", "Proposal", "Batch",
                         "Plan", "Schedule"]),
    ("WorksheetLine", ["Line", "JournalLine", "OrderLine", "AgreementLine", "RequestLine", "QuotationLine",
                       "ProposalLine", "BatchLine", "PlanLine", "ScheduleLine"]),
]

ENUMS = {
    "NoYes": [(0, "No", "No"), (1, "Yes", "Yes")],
    "CustVendorBlocked": [(0, "No", "No"), (1, "Invoice", "Invoice"), (2, "All", "All")],
    "DocumentStatus": [(0, "None", "None"), (1, "Quotation", "Quotation"), (2, "PurchaseOrder", "Purchase order"),
                       (3, "Confirmation", "Confirmation"), (4, "PickingList", "Picking list"),
                       (5, "PackingSlip", "Packing slip"), (6, "ReceiptsList", "Receipts list"),
                       (7, "Invoice", "Invoice")],
    "SalesStatus": [(0, "None", "None"), (1, "Backorder", "Open order"), (2, "Delivered", "Delivered"),
                    (3, "Invoiced", "Invoiced"), (4, "Canceled", "Canceled")],
    "LedgerTransType": [(0, "None", "None"), (1, "Transfer", "Transfer"), (2, "Sales", "Sales order"),
                        (3, "Purch", "Purchase order"), (4, "Inventory", "Inventory"), (5, "Production", "Production"),
                        (6, "Project", "Project"), (7, "Payment", "Payment"), (8, "Cust", "Customer"),
                        (9, "Vend", "Vendor"), (10, "ExchAdjustment", "Exchange rate adjustment"),
                        (11, "Tax", "Sales tax")],
    "ApprovalStatus": [(0, "Draft", "Draft"), (1, "Submitted", "Submitted"), (2, "Approved", "Approved"),
                       (3, "Rejected", "Rejected"), (4, "Cancelled", "Cancelled")],
    "ItemType": [(0, "Item", "Item"), (1, "BOM", "BOM"), (2, "Service", "Service")],
    "AbcCode": [(0, "None", "None"), (1, "A", "A"), (2, "B", "B"), (3, "C", "C")],
}

# The business columns an entity draws from: (name, format, maximumLength or enum name).
POOL = [
    ("ACCOUNTNUM", "String", 20), ("NAME", "String", 100), ("DESCRIPTION", "String", 60), ("TXT", "String", 60),
    ("VOUCHER", "String", 20), ("CURRENCYCODE", "String", 3), ("ITEMID", "String", 20), ("INVENTDIMID", "String", 20),
    ("PAYMTERMID", "String", 10), ("DLVMODE", "String", 10), ("DLVTERM", "String", 10), ("TAXGROUP", "String", 10),
    ("TAXITEMGROUP", "String", 10), ("INVOICEID", "String", 20), ("JOURNALNUM", "String", 10),
    ("NUMBERSEQUENCEGROUP", "String", 10), ("LANGUAGEID", "String", 7), ("COUNTRYREGIONID", "String", 10),
    ("ZIPCODE", "String", 10), ("CITY", "String", 60), ("STREET", "String", 250), ("EMAIL", "String", 255),
    ("PHONE", "String", 255), ("SALESID", "String", 20), ("PURCHID", "String", 20), ("PROJID", "String", 20),
    ("UNITID", "String", 10), ("INVENTSITEID", "String", 10), ("INVENTLOCATIONID", "String", 10),
    ("NOTES", "String", 1000), ("SEARCHNAME", "String", 20), ("PACKINGSLIPID", "String", 20),
    ("CUSTGROUP", "String", 10), ("VENDGROUP", "String", 10), ("ITEMGROUPID", "String", 10),
    ("POSTINGPROFILE", "String", 10), ("INVENTTRANSID", "String", 20), ("REASONCODE", "String", 10),
    ("PAYMMODE", "String", 10), ("BANKACCOUNTID", "String", 10), ("VATNUM", "String", 20),
    ("AMOUNTCUR", "Decimal", None), ("AMOUNTMST", "Decimal", None), ("AMOUNTREPORTING", "Decimal", None),
    ("QTY", "Decimal", None), ("PRICE", "Decimal", None), ("LINEAMOUNT", "Decimal", None),
    ("DISCPERCENT", "Decimal", None), ("DISCAMOUNT", "Decimal", None), ("TAXAMOUNT", "Decimal", None),
    ("EXCHRATE", "Decimal", None), ("COSTPRICE", "Decimal", None), ("NETWEIGHT", "Decimal", None),
    ("GROSSWEIGHT", "Decimal", None), ("MARKUP", "Decimal", None), ("SETTLEAMOUNTCUR", "Decimal", None),
    ("REMAINQTY", "Decimal", None), ("CREDITMAX", "Decimal", None), ("LINENUM", "Decimal", None),
    ("TRANSDATE", "DateTime", None), ("DUEDATE", "DateTime", None), ("DOCUMENTDATE", "DateTime", None),
    ("DELIVERYDATE", "DateTime", None), ("VALIDFROM", "DateTime", None), ("VALIDTO", "DateTime", None),
    ("CLOSED", "DateTime", None), ("ACCOUNTINGDATE", "DateTime", None), ("INVOICEDATE", "DateTime", None),
    ("SHIPPINGDATEREQUESTED", "DateTime", None), ("SHIPPINGDATECONFIRMED", "DateTime", None),
    ("LASTSETTLEDATE", "DateTime", None),
    ("DEFAULTDIMENSION", "Int64", None), ("LEDGERDIMENSION", "Int64", None), ("PARTY", "Int64", None),
    ("WORKER", "Int64", None), ("LOCATION", "Int64", None), ("SOURCEDOCUMENTHEADER", "Int64", None),
    ("SOURCEDOCUMENTLINE", "Int64", None), ("REFRECID", "Int64", None), ("REFTABLEID", "Int32", None),
    ("PRIORITY", "Int32", None), ("DAYS", "Int32", None),
    ("BLOCKED", "Int32", "CustVendorBlocked"), ("POSTED", "Int32", "NoYes"), ("APPROVED", "Int32", "NoYes"),
    ("TRANSTYPE", "Int32", "LedgerTransType"), ("DOCUMENTSTATUS", "Int32", "DocumentStatus"),
    ("SALESSTATUS", "Int32", "SalesStatus"), ("APPROVALSTATUS", "Int32", "ApprovalStatus"),
    ("ITEMTYPE", "Int32", "ItemType"), ("ABCCODE", "Int32", "AbcCode"), ("CANCELLED", "Int32", "NoYes"),
]
# Every entity starts with RECID and a document number (the key of the relationships) and ends with these.
SYSTEM = [("MODIFIEDDATETIME", "DateTime", None), ("MODIFIEDBY", "String", 20), ("CREATEDDATETIME", "DateTime", None),
          ("CREATEDBY", "String", 20), ("DATAAREAID", "String", 4), ("PARTITION", "Int64", None),
          ("RECVERSION", "Int32", None)]
KEY = ("DOCUMENTNUM", "String", 20)


def imports():
    return [{"corpusPath": "cdm:/foundations.cdm.json"}]


def attribute(name, fmt, extra):
    a = {"name": name, "dataFormat": fmt}
    if fmt == "String":
        a["maximumLength"] = extra
    if name == "RECID":
        a["isNullable"] = False
        a["purpose"] = "identifiedBy"
        return a
    a["isNullable"] = True
    if fmt == "Decimal":
        a["appliedTraits"] = [{"traitReference": "is.dataFormat.numeric.shaped",
                               "arguments": [{"name": "precision", "value": "32"}, {"name": "scale", "value": "6"}]}]
    elif fmt == "Int32" and extra:
        constants = [["en-US", label, symbol, str(value)] for value, symbol, label in ENUMS[extra]]
        lst = {"entityReference": {"entityShape": "localizedConstantValues", "constantValues": constants}}
        a["appliedTraits"] = [{"traitReference": "is.constrainedList.wellKnown",
                               "arguments": [{"name": "defaultList", "value": lst}]}]
    return a


def entity_document(name, columns):
    level = {"traitReference": "has.entitySchemaAbstractionLevel",
             "arguments": [{"name": "level", "value": "resolved"}]}
    definition = {"entityName": name, "exhibitsTraits": [level],
                  "hasAttributes": [attribute(*c) for c in columns]}
    return {"jsonSchemaSemanticVersion": "1.0.0", "imports": imports(), "definitions": [definition]}


def manifest(name, explanation, entities, subs):
    return {"jsonSchemaSemanticVersion": "1.0.0", "imports": imports(), "manifestName": name,
            "explanation": explanation, "entities": entities, "subManifests": subs}


def write_json(path, doc):
    # nlohmann::ordered_json::dump(2): two-space indent, ", " and ": " separators, UTF-8 unescaped.
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return len(text.encode("utf-8"))


def sub_manifest(child):
    return {"manifestName": child, "definition": child + "/" + child + ".manifest.cdm.json"}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True, help="lake root to create (its Tables/ folder is replaced)")
    p.add_argument("--areas", type=int, default=5)
    p.add_argument("--modules", type=int, default=8, help="modules per area")
    p.add_argument("--groups", type=int, default=5, help="table groups (leaf manifests) per module")
    p.add_argument("--per-leaf", type=int, default=10, help="entities per leaf manifest")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    if not (1 <= args.areas <= len(AREAS) and 1 <= args.modules <= 8 and 1 <= args.groups <= len(GROUPS)
            and 1 <= args.per_leaf <= 10):
        sys.exit("make_metadata_lake.py: at most 5 areas, 8 modules, 5 groups and 10 entities per leaf")

    rng = random.Random(args.seed)
    root = os.path.abspath(args.out)
    tables = os.path.join(root, "Tables")
    if os.path.isdir(tables):
        import shutil
        shutil.rmtree(tables)
    os.makedirs(tables, exist_ok=True)

    names = set()
    entities = attributes = bytes_written = leaves = 0
    area_names = []
    for area, modules in AREAS[:args.areas]:
        area_names.append(area)
        module_names = []
        for module, prefix in modules[:args.modules]:
            module_names.append(module)
            group_names = []
            for group, endings in GROUPS[:args.groups]:
                group_names.append(group)
                folder = os.path.join(tables, area, module, group)
                os.makedirs(folder, exist_ok=True)
                declarations = []
                for ending in endings[:args.per_leaf]:
                    name = prefix + ending
                    if name in names:
                        sys.exit("make_metadata_lake.py: duplicate entity name " + name)
                    names.add(name)
                    width = rng.randint(20, 60)
                    business = rng.sample(POOL, width - 2 - len(SYSTEM))
                    columns = [("RECID", "Int64", None), KEY] + business + SYSTEM
                    bytes_written += write_json(os.path.join(folder, name + ".cdm.json"), entity_document(name, columns))
                    declarations.append({"type": "LocalEntity", "entityName": name,
                                         "entityPath": name + ".cdm.json/" + name, "dataPartitions": []})
                    entities += 1
                    attributes += len(columns)
                relative = area + "/" + module + "/" + group
                m = manifest(group, "Tables of " + relative + " exported from Dynamics 365 Finance and Operations "
                             "(metadata only, generated by cdmlake's benchmark).", declarations, [])
                # Worksheet lines point at their headers and every other table at the module's main table, as
                # the generator's relationships do (relative corpus paths across leaves).
                relationships = []
                main_prefix = GROUPS[0][1][0]
                for i, ending in enumerate(endings[:args.per_leaf]):
                    src = prefix + ending
                    if group == "WorksheetLine" and args.groups >= 4:
                        dst = prefix + GROUPS[3][1][i]
                        to = "../WorksheetHeader/" + dst + ".cdm.json/" + dst
                    elif group != "Main":
                        dst = prefix + main_prefix
                        to = "../Main/" + dst + ".cdm.json/" + dst
                    else:
                        continue
                    relationships.append({"fromEntity": src + ".cdm.json/" + src,
                                          "fromEntityAttribute": "DOCUMENTNUM",
                                          "toEntity": to, "toEntityAttribute": "DOCUMENTNUM"})
                m["relationships"] = relationships
                bytes_written += write_json(os.path.join(folder, group + ".manifest.cdm.json"), m)
                leaves += 1
            path = os.path.join(tables, area, module, module + ".manifest.cdm.json")
            bytes_written += write_json(path, manifest(
                module, "Tables exported from Dynamics 365 Finance and Operations: Tables/" + area + "/" + module + ".",
                [], [sub_manifest(g) for g in group_names]))
        path = os.path.join(tables, area, area + ".manifest.cdm.json")
        bytes_written += write_json(path, manifest(
            area, "Tables exported from Dynamics 365 Finance and Operations: Tables/" + area + ".", [],
            [sub_manifest(m) for m in module_names]))
    bytes_written += write_json(os.path.join(tables, "Tables.manifest.cdm.json"), manifest(
        "Tables", "Tables exported from Dynamics 365 Finance and Operations: Tables.", [],
        [sub_manifest(a) for a in area_names]))
    print("wrote %d entities (%d attributes) in %d leaf manifests, %.1f MB of JSON, to %s"
          % (entities, attributes, leaves, bytes_written / 1e6, root))


if __name__ == "__main__":
    main()
