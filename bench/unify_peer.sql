-- The Splink-style peer of `cdmlake unify run` (bench/unify.sh): the rules of examples/generated/unify.yaml
-- (without its activities) written by hand in plain DuckDB SQL, the way Splink runs on its DuckDB backend:
-- normalized columns in SQL, candidate pairs from joins on each rule's blocking keys (its exact conditions), the
-- fuzzy conditions scored with DuckDB's levenshtein, links above the threshold, and clusters by connected
-- components computed with iterative label propagation in SQL (Splink's algorithm).
--
-- The semantics follow docs/unify.md, so that both sides answer the same question:
-- * dedup per source: every dedup rule over every pair of the source; the links, closed transitively (connected
--   components), give the dedup groups;
-- * match in the order contact <- CustCustomerV3Entity <- LoyaltyMember: a source's rules run in order, rule k
--   only for the groups that rules 1..k-1 did not match; a group attaches to the profile of its best candidate
--   row (highest score, then the smaller target key, then the smaller own key) and to no other, like Splink's
--   "single best link" for linking; the score of a rule is the lowest score of its fuzzy conditions (1 when it has
--   none);
-- * the clusters (profiles) are the connected components of the dedup links and the chosen match links.
--
-- Normalizations in SQL (docs/unify-normalizations.md), and where they differ from cdmlake's:
-- * lowercase: lower(); unicode-to-ascii: strip_accents() (drops marks; ICU's Latin-ASCII also maps letters
--   without a decomposition such as ss or o-slash, which the generated data does not contain);
-- * whitespace: regexp_replace('\s', '') (ASCII white space only; the e-mails are ASCII);
-- * type-phone with default region US: the extension (x, ext, extension, #) dropped, the digits kept, a number
--   written with '+' keeps its country code (leading zeros dropped), a 10-digit number gets the country code 1;
--   libphonenumber itself is not available in SQL (it would also validate and strip national prefixes of other
--   regions; the generated numbers are all North American);
-- * type-name: cdmlake canonicalizes titles (no nickname file is configured); the generated names have no titles,
--   so the peer leaves names as they are (a nickname table is not available to plain Splink-style SQL either);
-- * type-address: the USPS word table of src/unify/normalize_words.cc (suffixes, directionals, unit
--   designators), applied word by word as cdmlake does, separators kept;
-- * bypass values: normalized with the same expressions and turned into NULL;
-- * an empty or all-blank value is NULL, and NULL never matches;
-- * fuzzy precision p (high 80, medium 60): levenshtein(a, b) * 100 <= max(length(a), length(b)) * (100 - p),
--   cdmlake's integer form of "score = (maxlen - distance) / maxlen >= p" (docs/unify-matching.md);
-- * dates: contact.birthdate is a DATE column; LoyaltyMember.BirthDate is read with try_strptime('%m/%d/%Y'), so
--   the other date formats count as empty, as in cdmlake.
-- Not reproduced (they do not fire on this data: bench/unify.sh checks cdmlake's report and says so): the block
-- size cap and skew guard of cdmlake's blocking, duplicate primary keys (first row wins), rows without a key.
--
-- @contact@ etc. are filled in with the partition files of the lake (bench/unify_helpers.py peer-sql), @OUT@ with
-- the output folder, @CC(edges, labels)@ with the statements of the label propagation. Outputs: clusters.csv, one
-- row per source record (source, key, cluster_id), and rules.csv, the candidate pairs and links of every rule.
-- Run: cdmlake_bench_duckdb_sql --discard "$(unify_helpers.py peer-sql bench/unify_peer.sql LAKE OUT)".

-- ---- read the three sources (same files and reader options as cdmlake's lake reader) --------------------------
CREATE TEMP VIEW contact_raw AS
SELECT * FROM read_csv([@contact@],
  columns = {'contactid': 'VARCHAR', 'firstname': 'VARCHAR', 'lastname': 'VARCHAR', 'fullname': 'VARCHAR',
             'emailaddress1': 'VARCHAR', 'telephone1': 'VARCHAR', 'address1_line1': 'VARCHAR',
             'address1_city': 'VARCHAR', 'address1_stateorprovince': 'VARCHAR', 'address1_postalcode': 'VARCHAR',
             'birthdate': 'DATE', 'createdon': 'TIMESTAMP', 'modifiedon': 'TIMESTAMP'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  new_line = '\n');

CREATE TEMP VIEW erp_raw AS
SELECT * FROM read_csv([@CustCustomerV3Entity@],
  columns = {'CUSTOMERACCOUNT': 'VARCHAR', 'DATAAREAID': 'VARCHAR', 'PARTYTYPE': 'VARCHAR',
             'ORGANIZATIONNAME': 'VARCHAR', 'PERSONFIRSTNAME': 'VARCHAR', 'PERSONLASTNAME': 'VARCHAR',
             'PRIMARYCONTACTEMAIL': 'VARCHAR', 'PRIMARYCONTACTPHONE': 'VARCHAR', 'ADDRESSSTREET': 'VARCHAR',
             'ADDRESSCITY': 'VARCHAR', 'ADDRESSSTATE': 'VARCHAR', 'ADDRESSZIPCODE': 'VARCHAR',
             'ADDRESSCOUNTRYREGIONID': 'VARCHAR', 'CUSTOMERGROUPID': 'VARCHAR', 'MODIFIEDDATETIME': 'TIMESTAMP',
             'RECID': 'BIGINT'},
  header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  new_line = '\n');

CREATE TEMP VIEW loyalty_raw AS
SELECT * FROM read_csv([@LoyaltyMember@],
  columns = {'LoyaltyId': 'VARCHAR', 'Name': 'VARCHAR', 'Email': 'VARCHAR', 'Phone': 'VARCHAR',
             'ZipCode': 'VARCHAR', 'BirthDate': 'VARCHAR', 'JoinDate': 'VARCHAR', 'Tier': 'VARCHAR',
             'RewardPoints': 'INTEGER'},
  header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
  new_line = '\n');

-- ---- normalizations ------------------------------------------------------------------------------------------
-- nz: a blank value is NULL. It is applied to the raw value (each normalization below turns a value that is not
-- blank into a key that is not blank, except phone_digits, which gets nullif), so that a macro argument is not
-- evaluated twice.
CREATE TEMP MACRO nz(v) AS CASE WHEN trim(v) = '' THEN NULL ELSE v END;
CREATE TEMP MACRO email_norm(v) AS lower(regexp_replace(nz(v), '\s', '', 'g'));
CREATE TEMP MACRO phone_digits(v) AS
  regexp_replace(regexp_replace(nz(v), '\s*(x|ext\.?|extension|#)\s*[.:]?\s*[0-9]{1,7}\s*$', '', 'i'), '[^0-9]', '', 'g');
-- v: the value, d: its phone_digits (computed once per value by the queries below)
CREATE TEMP MACRO phone_from_digits(v, d) AS nullif(CASE
  WHEN ltrim(v) LIKE '+%' THEN ltrim(d, '0')
  WHEN length(d) = 10 THEN '1' || d
  ELSE d END, '');
CREATE TEMP MACRO phone_norm(v) AS phone_from_digits(v, phone_digits(v));
CREATE TEMP MACRO name_norm(v) AS lower(strip_accents(nz(v)));
-- bypass lists of the configuration, normalized like the values they bypass
SET VARIABLE email_bypass = [email_norm('noemail@example.com'), email_norm('none@none.com'), email_norm('na@na.com')];
SET VARIABLE phone_bypass = [phone_norm('555-0100'), phone_norm('000-000-0000'), phone_norm('(999) 999-9999')];
CREATE TEMP MACRO bypass(k, list) AS CASE WHEN list_contains(list, k) THEN NULL ELSE k END;

-- type-address: USPS Publication 28 C1/C2 and directionals, as in src/unify/normalize_words.cc (canonical first)
CREATE TEMP TABLE usps_rows(r) AS VALUES
  ('aly alley allee ally'), ('anx annex anex annx'), ('arc arcade'), ('ave avenue av aven avenu avn avnue'),
  ('byu bayou bayoo'), ('bch beach'), ('bnd bend'), ('blf bluff bluf'), ('btm bottom bot bottm'),
  ('blvd boulevard boul boulv'), ('br branch brnch'), ('brg bridge brdge'), ('brk brook'),
  ('byp bypass bypa bypas byps'), ('cp camp cmp'), ('cyn canyon canyn cnyn'), ('cpe cape'), ('cswy causeway causwa'),
  ('ctr center centre cen cent centr cnter cntr'), ('cir circle circ circl crcl crcle'), ('clf cliff'),
  ('clfs cliffs'), ('clb club'), ('cmn common'), ('cor corner'), ('cors corners'), ('crse course'), ('ct court'),
  ('cts courts'), ('cv cove'), ('crk creek'), ('cres crescent crsent crsnt'), ('xing crossing crssng'),
  ('xrd crossroad'), ('curv curve'), ('dl dale'), ('dm dam'), ('dv divide div dvd'), ('dr drive driv drv'),
  ('est estate'), ('ests estates'), ('expy expressway exp expr express expw'), ('ext extension extn extnsn'),
  ('fls falls'), ('fry ferry frry'), ('fld field'), ('flds fields'), ('flt flat'), ('frd ford'),
  ('frst forest forests'), ('frg forge forg'), ('frk fork'), ('ft fort frt'), ('fwy freeway freewy frway frwy'),
  ('gdn garden gardn grden grdn'), ('gdns gardens grdns'), ('gtwy gateway gatewy gatway gtway'), ('gln glen'),
  ('grn green'), ('grv grove grov'), ('hbr harbor harb harbr hrbor'), ('hvn haven'), ('hts heights ht'),
  ('hwy highway highwy hiway hiwy hway'), ('hl hill'), ('hls hills'), ('holw hollow hllw hollows holws'),
  ('is island islnd'), ('iss islands islnds'), ('jct junction jction jctn junctn juncton'), ('knl knoll knol'),
  ('lk lake'), ('lks lakes'), ('lndg landing lndng'), ('ln lane'), ('ldg lodge ldge lodg'), ('mnr manor'),
  ('mdw meadow'), ('mdws meadows medows'), ('ml mill'), ('msn mission missn mssn'), ('mtwy motorway'),
  ('mt mount mnt'), ('mtn mountain mntain mntn mountin mtin'), ('orch orchard orchrd'), ('ovl oval'),
  ('pkwy parkway parkwy pkway pky parkways pkwys'), ('psge passage'), ('pne pine'), ('pl place'), ('pln plain'),
  ('plz plaza plza'), ('pt point'), ('prt port'), ('pr prairie prr'), ('rnch ranch ranches rnchs'), ('rpd rapid'),
  ('rdg ridge rdge'), ('riv river rvr rivr'), ('rd road'), ('rds roads'), ('rte route'), ('shl shoal'),
  ('shr shore shoar'), ('spg spring spng sprng'), ('sq square sqr sqre squ'), ('sta station statn stn'),
  ('strm stream streme'), ('st street strt str'), ('sts streets'), ('smt summit sumit sumitt'), ('ter terrace terr'),
  ('trce trace traces'), ('trak track tracks trk trks'), ('trl trail trails trls'), ('trlr trailer trlrs'),
  ('tunl tunnel tunel tunls tunnels tunnl'), ('tpke turnpike trnpk turnpk'), ('vly valley vally vlly'),
  ('via viaduct vdct viadct'), ('vw view'), ('vlg village vill villag villg villiage'), ('vl ville'),
  ('vis vista vist vst vsta'),
  ('n north'), ('s south'), ('e east'), ('w west'), ('ne northeast'), ('nw northwest'), ('se southeast'),
  ('sw southwest'),
  ('apt apartment'), ('bsmt basement'), ('bldg building'), ('dept department'), ('fl floor'), ('frnt front'),
  ('hngr hangar'), ('lbby lobby'), ('lowr lower'), ('ofc office'), ('ph penthouse'), ('rm room'), ('ste suite'),
  ('uppr upper');
SET VARIABLE usps = (
  SELECT map_from_entries(list(DISTINCT {'k': w, 'v': split_part(r, ' ', 1)}))
  FROM (SELECT r, unnest(string_split(r, ' ')) AS w FROM usps_rows));
-- Words are runs of letters, digits, marks and dots, looked up without their dots; everything else is kept.
CREATE TEMP MACRO address_key(v) AS array_to_string(list_transform(
  regexp_extract_all(lower(nz(v)), '[\p{L}\p{N}\p{M}.]+|[^\p{L}\p{N}\p{M}.]+'),
  w -> coalesce(getvariable('usps')[replace(w, '.', '')], w)), '');

-- fuzzy condition at precision p, and its score
CREATE TEMP MACRO fuzzy(a, b, p) AS
  levenshtein(a, b) * 100 <= greatest(length(a), length(b)) * (100 - p);
CREATE TEMP MACRO fscore(a, b) AS 1.0 - levenshtein(a, b) / greatest(length(a), length(b));

-- ---- the normalized sources (rid: a record number over all sources, the nodes of the graphs) ----------------
CREATE TEMP TABLE c AS
SELECT rid, key, bypass(email, getvariable('email_bypass')) AS email,
       bypass(phone_from_digits(phone, phone_d), getvariable('phone_bypass')) AS phone, fn, ln, street, zip, bd
FROM (SELECT row_number() OVER () AS rid, contactid AS key, email_norm(emailaddress1) AS email,
             telephone1 AS phone, phone_digits(telephone1) AS phone_d,
             name_norm(firstname) AS fn, name_norm(lastname) AS ln,
             address_key(address1_line1) AS street, nz(address1_postalcode) AS zip, birthdate AS bd
      FROM contact_raw);

CREATE TEMP TABLE e AS
SELECT rid, key, bypass(email, getvariable('email_bypass')) AS email,
       bypass(phone_from_digits(phone, phone_d), getvariable('phone_bypass')) AS phone, fn, ln, street, zip
FROM (SELECT 1000000000 + row_number() OVER () AS rid, CUSTOMERACCOUNT AS key,
             email_norm(PRIMARYCONTACTEMAIL) AS email,
             PRIMARYCONTACTPHONE AS phone, phone_digits(PRIMARYCONTACTPHONE) AS phone_d,
             name_norm(PERSONFIRSTNAME) AS fn, name_norm(PERSONLASTNAME) AS ln,
             address_key(ADDRESSSTREET) AS street, nz(ADDRESSZIPCODE) AS zip
      FROM erp_raw);

CREATE TEMP TABLE l AS
SELECT rid, key, bypass(email, getvariable('email_bypass')) AS email,
       bypass(phone_from_digits(phone, phone_d), getvariable('phone_bypass')) AS phone, zip, bd
FROM (SELECT 2000000000 + row_number() OVER () AS rid, LoyaltyId AS key, email_norm(Email) AS email,
             Phone AS phone, phone_digits(Phone) AS phone_d, nz(ZipCode) AS zip,
             try_strptime(BirthDate, '%m/%d/%Y')::DATE AS bd
      FROM loyalty_raw);

-- ---- dedup: candidate pairs per rule (self-joins on the blocking keys), scored, linked --------------------------
CREATE TEMP TABLE pairs_stats(step VARCHAR, source VARCHAR, rule VARCHAR, candidate_pairs BIGINT, links BIGINT);

CREATE TEMP TABLE cand AS
SELECT a.rid AS a, b.rid AS b, TRUE AS ok FROM c a JOIN c b ON a.email = b.email AND a.rid < b.rid;
INSERT INTO pairs_stats SELECT 'dedup', 'contact', 'email', count(*), count(*) FILTER (ok) FROM cand;
CREATE TEMP TABLE dedup_links AS SELECT a, b FROM cand;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT a.rid AS a, b.rid AS b, fuzzy(a.fn, b.fn, 80) AND fuzzy(a.ln, b.ln, 80) AS ok
FROM c a JOIN c b ON a.phone = b.phone AND a.rid < b.rid;
INSERT INTO pairs_stats SELECT 'dedup', 'contact', 'phone-and-name', count(*), count(*) FILTER (ok) FROM cand;
INSERT INTO dedup_links SELECT a, b FROM cand WHERE ok;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT a.rid AS a, b.rid AS b, TRUE AS ok FROM e a JOIN e b ON a.email = b.email AND a.rid < b.rid;
INSERT INTO pairs_stats SELECT 'dedup', 'CustCustomerV3Entity', 'email', count(*), count(*) FILTER (ok) FROM cand;
INSERT INTO dedup_links SELECT a, b FROM cand;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT a.rid AS a, b.rid AS b, fuzzy(a.fn, b.fn, 80) AND fuzzy(a.ln, b.ln, 80) AS ok
FROM e a JOIN e b ON a.phone = b.phone AND a.rid < b.rid;
INSERT INTO pairs_stats
SELECT 'dedup', 'CustCustomerV3Entity', 'phone-and-name', count(*), count(*) FILTER (ok) FROM cand;
INSERT INTO dedup_links SELECT a, b FROM cand WHERE ok;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT a.rid AS a, b.rid AS b, TRUE AS ok FROM l a JOIN l b ON a.email = b.email AND a.rid < b.rid;
INSERT INTO pairs_stats SELECT 'dedup', 'LoyaltyMember', 'email', count(*), count(*) FILTER (ok) FROM cand;
INSERT INTO dedup_links SELECT a, b FROM cand;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT a.rid AS a, b.rid AS b, TRUE AS ok FROM l a JOIN l b ON a.phone = b.phone AND a.bd = b.bd AND a.rid < b.rid;
INSERT INTO pairs_stats
SELECT 'dedup', 'LoyaltyMember', 'phone-and-birth-date', count(*), count(*) FILTER (ok) FROM cand;
INSERT INTO dedup_links SELECT a, b FROM cand;

-- dedup groups: connected components of the dedup links (grp = smallest rid of the group)
@CC(dedup_links, dedup_labels)@

CREATE TEMP TABLE cg AS SELECT c.*, coalesce(g.label, c.rid) AS grp FROM c LEFT JOIN dedup_labels g ON g.id = c.rid;
CREATE TEMP TABLE eg AS SELECT e.*, coalesce(g.label, e.rid) AS grp FROM e LEFT JOIN dedup_labels g ON g.id = e.rid;
CREATE TEMP TABLE lg AS SELECT l.*, coalesce(g.label, l.rid) AS grp FROM l LEFT JOIN dedup_labels g ON g.id = l.rid;

-- ---- match CustCustomerV3Entity -> contact: rules in order, each for the groups still unmatched ------------------
-- cand: own row x target row with the rule's score (NULL when a fuzzy condition fails)
CREATE TEMP TABLE match_links(own BIGINT, own_grp BIGINT, own_key VARCHAR, target BIGINT, target_key VARCHAR,
                              rule INTEGER, score DOUBLE);

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key, 1.0 AS score
FROM eg x JOIN c t ON t.email = x.email;
INSERT INTO pairs_stats
SELECT 'match', 'CustCustomerV3Entity', 'email', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 1, score FROM cand WHERE score IS NOT NULL;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key,
       CASE WHEN fuzzy(t.fn, x.fn, 80) AND fuzzy(t.ln, x.ln, 80)
            THEN least(fscore(t.fn, x.fn), fscore(t.ln, x.ln)) END AS score
FROM (SELECT * FROM eg WHERE grp NOT IN (SELECT own_grp FROM match_links)) x JOIN c t ON t.phone = x.phone;
INSERT INTO pairs_stats
SELECT 'match', 'CustCustomerV3Entity', 'phone-and-name', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 2, score FROM cand WHERE score IS NOT NULL;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key,
       CASE WHEN fuzzy(t.fn, x.ln, 80) AND fuzzy(t.ln, x.fn, 80)
            THEN least(fscore(t.fn, x.ln), fscore(t.ln, x.fn)) END AS score
FROM (SELECT * FROM eg WHERE grp NOT IN (SELECT own_grp FROM match_links)) x JOIN c t ON t.phone = x.phone;
INSERT INTO pairs_stats
SELECT 'match', 'CustCustomerV3Entity', 'phone-and-swapped-name', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 3, score FROM cand WHERE score IS NOT NULL;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key,
       CASE WHEN fuzzy(t.street, x.street, 80) AND fuzzy(t.fn, x.fn, 60)
            THEN least(fscore(t.street, x.street), fscore(t.fn, x.fn)) END AS score
FROM (SELECT * FROM eg WHERE grp NOT IN (SELECT own_grp FROM match_links)) x
JOIN c t ON t.zip = x.zip AND t.ln = x.ln;
INSERT INTO pairs_stats
SELECT 'match', 'CustCustomerV3Entity', 'address-and-name', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 4, score FROM cand WHERE score IS NOT NULL;

-- ---- match LoyaltyMember -> contact (rules 1-3) and -> CustCustomerV3Entity (rule 4) -----------------------------
CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key, 1.0 AS score
FROM lg x JOIN c t ON t.email = x.email;
INSERT INTO pairs_stats SELECT 'match', 'LoyaltyMember', 'email', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 1, score FROM cand;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key, 1.0 AS score
FROM (SELECT * FROM lg WHERE grp NOT IN (SELECT own_grp FROM match_links)) x
JOIN c t ON t.phone = x.phone AND t.bd = x.bd;
INSERT INTO pairs_stats SELECT 'match', 'LoyaltyMember', 'phone-and-birth-date', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 2, score FROM cand;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key, 1.0 AS score
FROM (SELECT * FROM lg WHERE grp NOT IN (SELECT own_grp FROM match_links)) x
JOIN c t ON t.zip = x.zip AND t.bd = x.bd;
INSERT INTO pairs_stats SELECT 'match', 'LoyaltyMember', 'zip-and-birth-date', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 3, score FROM cand;

CREATE OR REPLACE TEMP TABLE cand AS
SELECT x.rid AS own, x.grp AS own_grp, x.key AS own_key, t.rid AS target, t.key AS target_key, 1.0 AS score
FROM (SELECT * FROM lg WHERE grp NOT IN (SELECT own_grp FROM match_links)) x JOIN e t ON t.email = x.email;
INSERT INTO pairs_stats SELECT 'match', 'LoyaltyMember', 'erp-email', count(*), count(score) FROM cand;
INSERT INTO match_links SELECT own, own_grp, own_key, target, target_key, 4, score FROM cand;

-- ---- attach each matched group to its best candidate only, then the clusters --------------------------------------
-- (rules are already exclusive per group: a group has links of one rule only)
CREATE TEMP TABLE all_links AS
SELECT a, b FROM dedup_links
UNION ALL
SELECT own_grp, target FROM (
  SELECT own_grp, target FROM match_links
  QUALIFY row_number() OVER (PARTITION BY own_grp ORDER BY score DESC, target_key, own_key) = 1);

@CC(all_links, cluster_labels)@

COPY (
  SELECT source, key, cluster_id FROM (
    SELECT 'contact' AS source, key, coalesce(k.label, x.rid) AS cluster_id FROM c x
    LEFT JOIN cluster_labels k ON k.id = x.rid
    UNION ALL
    SELECT 'CustCustomerV3Entity', key, coalesce(k.label, x.rid) FROM e x LEFT JOIN cluster_labels k ON k.id = x.rid
    UNION ALL
    SELECT 'LoyaltyMember', key, coalesce(k.label, x.rid) FROM l x LEFT JOIN cluster_labels k ON k.id = x.rid)
) TO '@OUT@/clusters.csv' (FORMAT csv, HEADER true);

COPY pairs_stats TO '@OUT@/rules.csv' (FORMAT csv, HEADER true);
