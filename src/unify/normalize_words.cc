#include "unify/normalize_words.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <initializer_list>

namespace cdmlake::unify {
namespace {

// Each row: the canonical form, then the words that become it. The canonical form maps to itself too, so that
// "Ave." and "AVE" become "ave" like "Avenue" does.
WordTable TableFromRows(std::initializer_list<std::string_view> rows) {
  WordTable table;
  for (std::string_view row : rows) {
    std::string_view rest = row;
    const std::string canonical(row.substr(0, row.find(' ')));
    while (!rest.empty()) {
      const size_t end = rest.find(' ');
      table.emplace(std::string(rest.substr(0, end)), canonical);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  return table;
}

// Whether the character at value[i] belongs to a word (ASCII letters, digits and dots; non-ASCII letters, marks
// and numbers; ill-formed bytes), and its length in bytes.
bool IsWordChar(std::string_view value, size_t i, size_t* length) {
  const auto c = static_cast<unsigned char>(value[i]);
  if (c < 0x80) {
    *length = 1;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
  }
  int32_t next = static_cast<int32_t>(i);
  UChar32 code_point;
  U8_NEXT(value.data(), next, static_cast<int32_t>(value.size()), code_point);
  *length = static_cast<size_t>(next) - i;
  return code_point < 0 || (U_GET_GC_MASK(code_point) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

}  // namespace

const WordTable& NameTitleTable() {
  // One form per title, without the dot: a dot would be a symbol left in the key when Symbols is off.
  static const WordTable table = TableFromRows({
      "prof professor",
      "dr doctor doc",
      "mr mister messrs",
      "mrs missus misses",
      "ms miss",
      "rev reverend revd",
      "hon honorable honourable",
      "capt captain cpt",
      "lt lieutenant",
      "col colonel",
      "sgt sergeant",
      "maj major",
      "gov governor",
      "pres president",
      "sen senator",
      "rep representative",
      "fr father",
      "sr senior snr",
      "jr junior jnr",
      "esq esquire",
      "mme madame madam",
      "mlle mademoiselle",
  });
  return table;
}

const WordTable& AddressTable() {
  // USPS Publication 28, appendix C1 (street suffixes, the common ones with their usual misspellings), C2
  // (secondary unit designators) and the directionals. Words that are more often names than suffixes (key,
  // union, well, light) are left out.
  static const WordTable table = TableFromRows({
      "aly alley allee ally",
      "anx annex anex annx",
      "arc arcade",
      "ave avenue av aven avenu avn avnue",
      "byu bayou bayoo",
      "bch beach",
      "bnd bend",
      "blf bluff bluf",
      "btm bottom bot bottm",
      "blvd boulevard boul boulv",
      "br branch brnch",
      "brg bridge brdge",
      "brk brook",
      "byp bypass bypa bypas byps",
      "cp camp cmp",
      "cyn canyon canyn cnyn",
      "cpe cape",
      "cswy causeway causwa",
      "ctr center centre cen cent centr cnter cntr",
      "cir circle circ circl crcl crcle",
      "clf cliff",
      "clfs cliffs",
      "clb club",
      "cmn common",
      "cor corner",
      "cors corners",
      "crse course",
      "ct court",
      "cts courts",
      "cv cove",
      "crk creek",
      "cres crescent crsent crsnt",
      "xing crossing crssng",
      "xrd crossroad",
      "curv curve",
      "dl dale",
      "dm dam",
      "dv divide div dvd",
      "dr drive driv drv",
      "est estate",
      "ests estates",
      "expy expressway exp expr express expw",
      "ext extension extn extnsn",
      "fls falls",
      "fry ferry frry",
      "fld field",
      "flds fields",
      "flt flat",
      "frd ford",
      "frst forest forests",
      "frg forge forg",
      "frk fork",
      "ft fort frt",
      "fwy freeway freewy frway frwy",
      "gdn garden gardn grden grdn",
      "gdns gardens grdns",
      "gtwy gateway gatewy gatway gtway",
      "gln glen",
      "grn green",
      "grv grove grov",
      "hbr harbor harb harbr hrbor",
      "hvn haven",
      "hts heights ht",
      "hwy highway highwy hiway hiwy hway",
      "hl hill",
      "hls hills",
      "holw hollow hllw hollows holws",
      "is island islnd",
      "iss islands islnds",
      "jct junction jction jctn junctn juncton",
      "knl knoll knol",
      "lk lake",
      "lks lakes",
      "lndg landing lndng",
      "ln lane",
      "ldg lodge ldge lodg",
      "mnr manor",
      "mdw meadow",
      "mdws meadows medows",
      "ml mill",
      "msn mission missn mssn",
      "mtwy motorway",
      "mt mount mnt",
      "mtn mountain mntain mntn mountin mtin",
      "orch orchard orchrd",
      "ovl oval",
      "pkwy parkway parkwy pkway pky parkways pkwys",
      "psge passage",
      "pne pine",
      "pl place",
      "pln plain",
      "plz plaza plza",
      "pt point",
      "prt port",
      "pr prairie prr",
      "rnch ranch ranches rnchs",
      "rpd rapid",
      "rdg ridge rdge",
      "riv river rvr rivr",
      "rd road",
      "rds roads",
      "rte route",
      "shl shoal",
      "shr shore shoar",
      "spg spring spng sprng",
      "sq square sqr sqre squ",
      "sta station statn stn",
      "strm stream streme",
      "st street strt str",
      "sts streets",
      "smt summit sumit sumitt",
      "ter terrace terr",
      "trce trace traces",
      "trak track tracks trk trks",
      "trl trail trails trls",
      "trlr trailer trlrs",
      "tunl tunnel tunel tunls tunnels tunnl",
      "tpke turnpike trnpk turnpk",
      "vly valley vally vlly",
      "via viaduct vdct viadct",
      "vw view",
      "vlg village vill villag villg villiage",
      "vl ville",
      "vis vista vist vst vsta",
      // Directionals.
      "n north",
      "s south",
      "e east",
      "w west",
      "ne northeast",
      "nw northwest",
      "se southeast",
      "sw southwest",
      // Secondary unit designators.
      "apt apartment",
      "bsmt basement",
      "bldg building",
      "dept department",
      "fl floor",
      "frnt front",
      "hngr hangar",
      "lbby lobby",
      "lowr lower",
      "ofc office",
      "ph penthouse",
      "rm room",
      "ste suite",
      "uppr upper",
  });
  return table;
}

const WordTable& OrganizationTable() {
  static const WordTable table = [] {
    WordTable t;
    for (std::string_view word : {
             // English legal forms.
             "co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "llp",
             "lllp", "lp", "plc", "pllc", "pc", "pty", "pte", "pvt", "intl", "international",
             // German, Austrian, Swiss.
             "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "ev",
             // French, Spanish, Italian, Portuguese.
             "sa", "sas", "sarl", "sasu", "eurl", "srl", "spa", "sl", "slu", "ltda", "cia",
             // Dutch, Belgian, Nordic.
             "bv", "nv", "vof", "ab", "asa", "oy", "oyj", "aps",
             // Central and Eastern European, Japanese, pan-European.
             "sro", "doo", "kft", "zrt", "ooo", "kk", "se",
             // Articles and connectors that legal names add or drop freely.
             "the", "and",
         }) {
      t.emplace(std::string(word), std::string());
    }
    return t;
  }();
  return table;
}

void WordKey(std::string_view word, std::string* key) {
  key->clear();
  for (char c : word) {
    if (c == '.') continue;
    key->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
}

void RewriteWords(std::string_view value, std::span<const WordTable* const> tables, std::string* out) {
  const size_t base = out->size();
  std::string key;
  size_t word_end_in_out = base;  // where the last kept word ends in *out; separators after it follow
  bool kept_a_word = false;
  bool skip_separators = false;  // a word at the start was deleted: drop the separators after it
  size_t i = 0;
  while (i < value.size()) {
    size_t j = i;
    size_t length = 0;
    if (!IsWordChar(value, i, &length)) {
      j += length;
      while (j < value.size() && !IsWordChar(value, j, &length)) j += length;
      if (!skip_separators) out->append(value.substr(i, j - i));
      i = j;
      continue;
    }
    j += length;
    while (j < value.size() && IsWordChar(value, j, &length)) j += length;
    const std::string_view word = value.substr(i, j - i);
    i = j;
    WordKey(word, &key);
    const std::string* replacement = nullptr;
    for (const WordTable* table : tables) {
      if (table == nullptr) continue;
      auto it = table->find(key);
      if (it != table->end()) {
        replacement = &it->second;
        break;
      }
    }
    if (replacement != nullptr && replacement->empty()) {
      if (kept_a_word) {
        out->resize(word_end_in_out);
      } else {
        out->resize(base);
        skip_separators = true;
      }
      continue;
    }
    skip_separators = false;
    out->append(replacement != nullptr ? std::string_view(*replacement) : word);
    word_end_in_out = out->size();
    kept_a_word = true;
  }
}

}  // namespace cdmlake::unify
