#include "generate/customer_names.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

namespace cdmlake::generate {

namespace {

// clang-format off
// Most common first, as the skewed pick favours the head of the list. Every formal name with nicknames in
// kNicknames appears here, so nickname noise has something to work on.
constexpr std::string_view kFirstNames[] = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen",
    "Charles", "Margaret", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Sandra",
    "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Kenneth", "Donna", "Joshua", "Michelle",
    "Kevin", "Dorothy", "Brian", "Carol", "George", "Amanda", "Timothy", "Melissa", "Ronald", "Deborah",
    "Edward", "Stephanie", "Jason", "Rebecca", "Jeffrey", "Sharon", "Ryan", "Laura", "Jacob", "Cynthia",
    "Gary", "Kathleen", "Nicholas", "Amy", "Eric", "Angela", "Jonathan", "Shirley", "Stephen", "Anna",
    "Larry", "Brenda", "Justin", "Pamela", "Scott", "Emma", "Brandon", "Nicole", "Benjamin", "Helen",
    "Samuel", "Samantha", "Gregory", "Katherine", "Alexander", "Christine", "Frank", "Debra", "Patrick", "Rachel",
    "Raymond", "Catherine", "Jack", "Carolyn", "Dennis", "Janet", "Jerry", "Ruth", "Tyler", "Maria",
    "José", "María", "Luis", "Sofía", "André", "Chloé", "Renée", "Zoë", "François", "Jürgen",
    "Alexandra", "Abigail", "Theodore", "Victoria", "Nathaniel", "Judith", "Frederick", "Susanna", "Lawrence", "Florence",
    "Peter", "Caroline", "Henry", "Madeline", "Walter", "Josephine", "Harold", "Theresa", "Douglas", "Valerie",
};

// Most common first (US census order, with some Hispanic, German and Irish names and a multi-token surname).
constexpr std::string_view kLastNames[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
    "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
    "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
    "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
    "García", "Hernández", "Núñez", "Peña", "Gómez", "Müller", "Schäfer", "Köhler", "Brontë", "Lefèvre",
    "O'Brien", "O'Connor", "McDonald", "MacLeod", "De la Cruz", "Van der Berg", "St. John", "Smith-Jones", "Lindqvist", "Kowalski",
    "Fischer", "Weber", "Becker", "Hoffmann", "Schulz", "Novak", "Horvat", "Jensen", "Hansen", "Larsen",
    "Okafor", "Adeyemi", "Tanaka", "Suzuki", "Wang", "Zhang", "Chen", "Liu", "Singh", "Kumar",
    "Abernathy", "Blackwood", "Castellanos", "Delacroix", "Everhart", "Fairbanks", "Gallagher", "Hollister", "Ingram", "Jorgensen",
};

// Our own table of common English nicknames: (formal name, nickname), about a hundred pairs.
constexpr std::pair<std::string_view, std::string_view> kNicknames[] = {
    {"Abigail", "Abby"}, {"Alexander", "Alex"}, {"Alexander", "Sasha"}, {"Alexandra", "Alex"}, {"Alexandra", "Lexi"},
    {"Andrew", "Andy"}, {"Andrew", "Drew"}, {"Anthony", "Tony"}, {"Barbara", "Barb"}, {"Barbara", "Babs"},
    {"Benjamin", "Ben"}, {"Benjamin", "Benny"}, {"Brandon", "Brandy"}, {"Caroline", "Carrie"}, {"Catherine", "Cathy"},
    {"Catherine", "Kate"}, {"Charles", "Charlie"}, {"Charles", "Chuck"}, {"Christine", "Chris"}, {"Christine", "Tina"},
    {"Christopher", "Chris"}, {"Christopher", "Topher"}, {"Cynthia", "Cindy"}, {"Daniel", "Dan"}, {"Daniel", "Danny"},
    {"David", "Dave"}, {"Deborah", "Debbie"}, {"Deborah", "Deb"}, {"Debra", "Debbie"}, {"Dennis", "Denny"},
    {"Donald", "Don"}, {"Donald", "Donnie"}, {"Dorothy", "Dot"}, {"Dorothy", "Dottie"}, {"Douglas", "Doug"},
    {"Edward", "Ed"}, {"Edward", "Eddie"}, {"Edward", "Ted"}, {"Elizabeth", "Liz"}, {"Elizabeth", "Beth"},
    {"Elizabeth", "Betsy"}, {"Emily", "Em"}, {"Florence", "Flo"}, {"Frederick", "Fred"}, {"Frederick", "Freddie"},
    {"Frank", "Frankie"}, {"Gregory", "Greg"}, {"Harold", "Hal"}, {"Harold", "Harry"}, {"Henry", "Hank"},
    {"Jacob", "Jake"}, {"James", "Jim"}, {"James", "Jimmy"}, {"James", "Jamie"}, {"Jennifer", "Jen"},
    {"Jennifer", "Jenny"}, {"Jeffrey", "Jeff"}, {"Jerry", "Gerry"}, {"John", "Jack"}, {"John", "Johnny"},
    {"Jonathan", "Jon"}, {"Joseph", "Joe"}, {"Joseph", "Joey"}, {"Josephine", "Josie"}, {"Joshua", "Josh"},
    {"Judith", "Judy"}, {"Katherine", "Kathy"}, {"Katherine", "Katie"}, {"Kathleen", "Kathy"}, {"Kenneth", "Ken"},
    {"Kenneth", "Kenny"}, {"Kimberly", "Kim"}, {"Lawrence", "Larry"}, {"Madeline", "Maddie"}, {"Margaret", "Maggie"},
    {"Margaret", "Peggy"}, {"Margaret", "Meg"}, {"Matthew", "Matt"}, {"Michael", "Mike"}, {"Michael", "Mikey"},
    {"Nathaniel", "Nate"}, {"Nathaniel", "Nat"}, {"Nicholas", "Nick"}, {"Nicole", "Nikki"}, {"Pamela", "Pam"},
    {"Patricia", "Pat"}, {"Patricia", "Patty"}, {"Patrick", "Pat"}, {"Peter", "Pete"}, {"Raymond", "Ray"},
    {"Rebecca", "Becky"}, {"Richard", "Rick"}, {"Richard", "Dick"}, {"Richard", "Rich"}, {"Robert", "Bob"},
    {"Robert", "Rob"}, {"Robert", "Bobby"}, {"Ronald", "Ron"}, {"Samantha", "Sam"}, {"Samuel", "Sam"},
    {"Sandra", "Sandy"}, {"Stephanie", "Steph"}, {"Stephen", "Steve"}, {"Steven", "Steve"}, {"Susan", "Sue"},
    {"Susanna", "Susie"}, {"Theodore", "Ted"}, {"Theodore", "Teddy"}, {"Theresa", "Terry"}, {"Thomas", "Tom"},
    {"Thomas", "Tommy"}, {"Timothy", "Tim"}, {"Valerie", "Val"}, {"Victoria", "Vicky"}, {"Walter", "Walt"},
    {"William", "Bill"}, {"William", "Will"}, {"William", "Billy"}, {"William", "Liam"},
};

constexpr std::string_view kStreetNames[] = {
    "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Lincoln",
    "Jackson", "Church", "River", "Willow", "Highland", "Meadow", "Forest", "Spring", "Ridge", "Valley",
    "Chestnut", "Walnut", "Broad", "Center", "Mill", "Franklin", "Jefferson", "Madison", "Cherry", "Birch",
    "Harbor", "Bay", "Summit", "Orchard", "Prospect", "Union", "Sycamore", "Aspen", "Dogwood", "Magnolia",
};
constexpr std::string_view kStreetSuffixes[] = {"St", "Ave", "Rd", "Blvd", "Dr", "Ln", "Way", "Ct", "Pl", "Terrace"};

constexpr CityInfo kCities[] = {
    {"New York", "NY", 10001, {212, 646}},    {"Los Angeles", "CA", 90001, {213, 323}},
    {"Chicago", "IL", 60601, {312, 773}},     {"Houston", "TX", 77001, {713, 281}},
    {"Phoenix", "AZ", 85001, {602, 480}},     {"Philadelphia", "PA", 19101, {215, 267}},
    {"San Antonio", "TX", 78201, {210, 726}}, {"San Diego", "CA", 92101, {619, 858}},
    {"Dallas", "TX", 75201, {214, 469}},      {"San Jose", "CA", 95101, {408, 669}},
    {"Austin", "TX", 78701, {512, 737}},      {"Seattle", "WA", 98101, {206, 425}},
    {"Denver", "CO", 80201, {303, 720}},      {"Boston", "MA", 2108, {617, 857}},
    {"Portland", "OR", 97201, {503, 971}},    {"Miami", "FL", 33101, {305, 786}},
    {"Atlanta", "GA", 30301, {404, 678}},     {"Minneapolis", "MN", 55401, {612, 952}},
    {"Detroit", "MI", 48201, {313, 248}},     {"Nashville", "TN", 37201, {615, 629}},
    {"Redmond", "WA", 98052, {425, 206}},     {"Springfield", "IL", 62701, {217, 447}},
    {"Albuquerque", "NM", 87101, {505, 575}}, {"Raleigh", "NC", 27601, {919, 984}},
    {"Salt Lake City", "UT", 84101, {801, 385}}, {"St. Louis", "MO", 63101, {314, 636}},
    {"Coeur d'Alene", "ID", 83814, {208, 986}}, {"Española", "NM", 87532, {505, 575}},
};

constexpr std::string_view kEmailDomains[] = {
    "gmail.com", "gmail.com", "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "yahoo.com",
    "icloud.com", "aol.com", "comcast.net", "proton.me", "live.com", "msn.com", "att.net",
};

constexpr std::string_view kCompanyWords[] = {
    "Northwind", "Contoso", "Fabrikam", "Litware", "Adventure", "Tailspin", "Wingtip", "Alpine", "Blue Yonder",
    "Coho", "Fourth Coffee", "Lucerne", "Margie's", "Proseware", "Southridge", "Trey", "Wide World", "Woodgrove",
    "Graphic", "Humongous", "Lakeshore", "Summit", "Evergreen", "Redwood", "Silverline", "Ironbridge",
};
constexpr std::string_view kCompanyKinds[] = {
    "Traders", "Supply", "Foods", "Consulting", "Logistics", "Motors", "Electronics", "Design", "Builders",
    "Outfitters", "Health", "Partners", "Systems", "Bakery", "Hardware", "Media",
};
constexpr std::string_view kCompanySuffixes[] = {"Inc.", "LLC", "Ltd.", "Corp.", "Co.", "Group", "& Sons"};
// clang-format on

// Cumulative weights 1/(rank + 8) (scaled to integers) for a skewed pick: the head of a list of 150 gets about
// 4% of the draws, the tail about 0.2%, close to how the commonest names spread in a population.
std::vector<uint64_t> SkewedCumulative(size_t n) {
  std::vector<uint64_t> cumulative(n);
  uint64_t total = 0;
  for (size_t r = 0; r < n; ++r) {
    total += 1'000'000 / (r + 8);
    cumulative[r] = total;
  }
  return cumulative;
}

template <size_t N>
std::string_view PickSkewed(Random& rng, const std::string_view (&items)[N]) {
  static const std::vector<uint64_t> cumulative = SkewedCumulative(N);
  uint64_t r = rng.Uniform(cumulative.back());
  return items[std::upper_bound(cumulative.begin(), cumulative.end(), r) - cumulative.begin()];
}

}  // namespace

std::string_view PickFirstName(Random& rng) { return PickSkewed(rng, kFirstNames); }
std::string_view PickLastName(Random& rng) { return PickSkewed(rng, kLastNames); }

std::span<const std::string_view> Nicknames(std::string_view first_name) {
  // The nicknames of each formal name, built once from the pair table (pairs of one name are adjacent).
  static const auto table = [] {
    std::vector<std::pair<std::string_view, std::vector<std::string_view>>> t;
    for (const auto& [formal, nick] : kNicknames) {
      if (t.empty() || t.back().first != formal) t.push_back({formal, {}});
      t.back().second.push_back(nick);
    }
    return t;
  }();
  for (const auto& [formal, nicks] : table) {
    if (formal == first_name) return nicks;
  }
  return {};
}

std::span<const std::pair<std::string_view, std::string_view>> NicknamePairs() { return kNicknames; }

std::string_view PickStreetName(Random& rng) { return rng.Pick(kStreetNames); }
std::string_view PickStreetSuffix(Random& rng) { return rng.Pick(kStreetSuffixes); }
const CityInfo& PickCity(Random& rng) { return rng.Pick(kCities); }
std::string_view PickEmailDomain(Random& rng) { return rng.Pick(kEmailDomains); }
std::string_view PickCompanyWord(Random& rng) { return rng.Pick(kCompanyWords); }
std::string_view PickCompanyKind(Random& rng) { return rng.Pick(kCompanyKinds); }
std::string_view PickCompanySuffix(Random& rng) { return rng.Pick(kCompanySuffixes); }

}  // namespace cdmlake::generate
