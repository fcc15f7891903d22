#include "registry/demo.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <map>
#include <set>
#include <string>

#include "registry/divisions.h"
#include "registry/id_number.h"

namespace jd::registry {
namespace {

using namespace std::chrono;
using demo_tables::NameUse;
using demo_tables::PlacePosition;

constexpr NameUse kM = NameUse::kMale;
constexpr NameUse kF = NameUse::kFemale;
constexpr NameUse kA = NameUse::kAny;
constexpr PlacePosition kP1 = PlacePosition::kFirst;
constexpr PlacePosition kP2 = PlacePosition::kSecond;

// The tables of data/demo/*.csv (see data/demo/SOURCE.md); demo_test checks they agree.
constexpr std::array<demo_tables::Surname, 101> kSurnames = {{
    {"王", 725, 130}, {"李", 719, 550}, {"张", 683, 260}, {"刘", 538, 350}, {"陈", 461, 500},
    {"杨", 322, 190}, {"黄", 245, 700}, {"赵", 219, 70},  {"吴", 200, 110}, {"周", 195, 120},
    {"徐", 145, 30},  {"孙", 138, 20},  {"马", 129, 40},  {"朱", 128, 30},  {"胡", 116, 30},
    {"郭", 113, 30},  {"何", 108, 120}, {"林", 101, 160}, {"高", 100, 30},  {"罗", 94, 200},
    {"郑", 88, 30},   {"梁", 86, 380},  {"谢", 81, 140},  {"宋", 76, 20},   {"唐", 72, 80},
    {"许", 70, 30},   {"韩", 68, 20},   {"邓", 66, 80},   {"冯", 65, 50},   {"曹", 63, 20},
    {"彭", 62, 30},   {"曾", 61, 50},   {"肖", 58, 30},   {"田", 56, 20},   {"董", 55, 20},
    {"潘", 53, 90},   {"袁", 52, 20},   {"蔡", 50, 30},   {"蒋", 49, 60},   {"余", 48, 20},
    {"于", 47, 5},    {"杜", 46, 10},   {"叶", 45, 30},   {"程", 44, 10},   {"魏", 43, 10},
    {"苏", 42, 90},   {"吕", 41, 10},   {"丁", 40, 10},   {"任", 40, 10},   {"卢", 39, 130},
    {"姚", 38, 20},   {"沈", 37, 10},   {"钟", 37, 60},   {"姜", 36, 5},    {"崔", 35, 5},
    {"谭", 35, 40},   {"陆", 34, 140},  {"范", 33, 40},   {"汪", 33, 10},   {"廖", 32, 110},
    {"石", 32, 50},   {"金", 31, 10},   {"韦", 30, 450},  {"贾", 30, 10},   {"夏", 29, 10},
    {"付", 29, 10},   {"方", 28, 20},   {"邹", 27, 20},   {"熊", 27, 10},   {"白", 26, 20},
    {"孟", 26, 10},   {"秦", 25, 20},   {"邱", 25, 30},   {"侯", 24, 10},   {"江", 24, 20},
    {"尹", 23, 10},   {"薛", 23, 10},   {"闫", 22, 5},    {"段", 22, 10},   {"雷", 22, 40},
    {"龙", 21, 60},   {"黎", 21, 60},   {"史", 20, 5},    {"陶", 20, 10},   {"贺", 19, 10},
    {"毛", 19, 10},   {"郝", 18, 5},    {"顾", 18, 5},    {"龚", 17, 10},   {"邵", 17, 10},
    {"万", 16, 10},   {"覃", 16, 270},  {"武", 15, 5},    {"钱", 15, 5},    {"莫", 12, 280},
    {"蒙", 8, 200},   {"蓝", 6, 90},    {"庞", 6, 40},    {"宁", 5, 40},    {"甘", 5, 40},
    {"农", 3, 100},
}};

constexpr std::array<demo_tables::NameChar, 128> kGivenNameChars = {{
    {"伟", kM}, {"强", kM}, {"军", kM}, {"磊", kM}, {"勇", kM}, {"杰", kM}, {"涛", kM}, {"斌", kM},
    {"超", kM}, {"明", kM}, {"刚", kM}, {"平", kM}, {"辉", kM}, {"鹏", kM}, {"华", kM}, {"飞", kM},
    {"鑫", kM}, {"波", kM}, {"宇", kM}, {"浩", kM}, {"凯", kM}, {"健", kM}, {"俊", kM}, {"帆", kM},
    {"帅", kM}, {"旭", kM}, {"龙", kM}, {"林", kM}, {"阳", kM}, {"峰", kM}, {"建", kM}, {"国", kM},
    {"志", kM}, {"东", kM}, {"海", kM}, {"亮", kM}, {"成", kM}, {"兵", kM}, {"坤", kM}, {"晨", kM},
    {"博", kM}, {"轩", kM}, {"睿", kM}, {"泽", kM}, {"宏", kM}, {"家", kM}, {"荣", kM}, {"贵", kM},
    {"福", kM}, {"生", kM}, {"德", kM}, {"忠", kM}, {"永", kM}, {"庆", kM}, {"彬", kM}, {"武", kM},
    {"威", kM}, {"豪", kM}, {"航", kM}, {"铭", kM}, {"锋", kM}, {"芳", kF}, {"娜", kF}, {"敏", kF},
    {"静", kF}, {"丽", kF}, {"艳", kF}, {"娟", kF}, {"霞", kF}, {"秀", kF}, {"燕", kF}, {"玲", kF},
    {"桂", kF}, {"丹", kF}, {"萍", kF}, {"红", kF}, {"婷", kF}, {"雪", kF}, {"琳", kF}, {"晶", kF},
    {"颖", kF}, {"倩", kF}, {"慧", kF}, {"洁", kF}, {"欣", kF}, {"怡", kF}, {"佳", kF}, {"梅", kF},
    {"莉", kF}, {"英", kF}, {"兰", kF}, {"凤", kF}, {"琴", kF}, {"云", kF}, {"蓉", kF}, {"薇", kF},
    {"悦", kF}, {"诗", kF}, {"雨", kF}, {"萱", kF}, {"涵", kF}, {"梓", kF}, {"月", kF}, {"春", kF},
    {"花", kF}, {"妮", kF}, {"媛", kF}, {"瑶", kF}, {"璐", kF}, {"露", kF}, {"文", kA}, {"小", kA},
    {"金", kA}, {"玉", kA}, {"清", kA}, {"嘉", kA}, {"思", kA}, {"晓", kA}, {"一", kA}, {"子", kA},
    {"安", kA}, {"宁", kA}, {"新", kA}, {"天", kA}, {"乐", kA}, {"心", kA}, {"欢", kA}, {"秋", kA},
}};

constexpr std::array<demo_tables::PlaceChar, 75> kPlaceNameChars = {{
    {"那", kP1}, {"板", kP1}, {"六", kP1}, {"百", kP1}, {"岜", kP1}, {"都", kP1}, {"渌", kP1},
    {"伏", kP1}, {"古", kP1}, {"坛", kP1}, {"良", kP1}, {"思", kP1}, {"大", kP1}, {"新", kP1},
    {"长", kP1}, {"民", kP1}, {"友", kP1}, {"兴", kP1}, {"东", kP1}, {"西", kP1}, {"南", kP1},
    {"北", kP1}, {"金", kP1}, {"龙", kP1}, {"凤", kP1}, {"石", kP1}, {"平", kP1}, {"和", kP1},
    {"安", kP1}, {"江", kP1}, {"高", kP1}, {"清", kP1}, {"永", kP1}, {"三", kP1}, {"五", kP1},
    {"上", kP1}, {"下", kP1}, {"中", kP1}, {"水", kP1}, {"仁", kP1}, {"洪", kP2}, {"乐", kP2},
    {"岗", kP2}, {"塘", kP2}, {"圩", kP2}, {"陂", kP2}, {"江", kP2}, {"山", kP2}, {"林", kP2},
    {"湖", kP2}, {"宁", kP2}, {"兴", kP2}, {"安", kP2}, {"平", kP2}, {"华", kP2}, {"福", kP2},
    {"桥", kP2}, {"岭", kP2}, {"坡", kP2}, {"宝", kP2}, {"丰", kP2}, {"美", kP2}, {"秀", kP2},
    {"阳", kP2}, {"溪", kP2}, {"朗", kP2}, {"合", kP2}, {"禄", kP2}, {"蒙", kP2}, {"敏", kP2},
    {"隆", kP2}, {"定", kP2}, {"庆", kP2}, {"荣", kP2}, {"利", kP2},
}};

// SplitMix64 (Steele, Lea and Flood, 2014): fast, and unlike the distributions of <random> it gives
// the same numbers on every platform, so a seed names the same population everywhere.
constexpr std::uint64_t Mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return Mix(state_);
  }
  // Uniform in [0, n) by multiply-shift (Lemire); the bias is below 2^-32 for the n used here.
  std::uint32_t Below(std::size_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<std::size_t>(hi - lo + 1)));
  }
  bool PerMille(int p) { return static_cast<int>(Below(1000)) < p; }
  char Digit() { return static_cast<char>('0' + Below(10)); }

 private:
  std::uint64_t state_;
};

// One of `items` (each with an int `weight`) with probability proportional to its weight.
template <typename T, std::size_t N>
const T& PickWeighted(Rng& rng, const std::array<T, N>& items) {
  int total = 0;
  for (const T& t : items) total += t.weight;
  int r = static_cast<int>(rng.Below(static_cast<std::size_t>(total)));
  for (const T& t : items) {
    if (r < t.weight) return t;
    r -= t.weight;
  }
  return items.back();
}

// An index drawn from running totals of weights.
std::size_t PickCumulative(Rng& rng, const std::vector<std::uint32_t>& cumulative) {
  const std::uint32_t r = rng.Below(cumulative.back());
  return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) -
                                  cumulative.begin());
}

struct NameTables {
  std::vector<std::uint32_t> national_cumulative;
  std::vector<std::uint32_t> guangxi_cumulative;
  std::vector<std::string_view> male;    // given-name characters for boys (male + any)
  std::vector<std::string_view> female;  // for girls (female + any)
  std::vector<std::string_view> place_first;
  std::vector<std::string_view> place_second;
};

const NameTables& Names() {
  static const NameTables kTables = [] {
    NameTables t;
    std::uint32_t national = 0;
    std::uint32_t guangxi = 0;
    for (const demo_tables::Surname& s : kSurnames) {
      t.national_cumulative.push_back(national += static_cast<std::uint32_t>(s.national_weight));
      t.guangxi_cumulative.push_back(guangxi += static_cast<std::uint32_t>(s.guangxi_weight));
    }
    for (const demo_tables::NameChar& c : kGivenNameChars) {
      if (c.use != kF) t.male.push_back(c.ch);
      if (c.use != kM) t.female.push_back(c.ch);
    }
    for (const demo_tables::PlaceChar& c : kPlaceNameChars) {
      (c.position == kP1 ? t.place_first : t.place_second).push_back(c.ch);
    }
    return t;
  }();
  return kTables;
}

// A two-character place name such as "那洪" or "长岗" (synthetic; the characters are common in
// Guangxi place names, 那 "paddy field" and 板 "village" from Zhuang).
std::string PlaceRoot(Rng& rng) {
  const NameTables& t = Names();
  std::string_view a = t.place_first[rng.Below(t.place_first.size())];
  std::string_view b = t.place_second[rng.Below(t.place_second.size())];
  if (a == b)
    b = t.place_second[(rng.Below(t.place_second.size() - 1) + 1) % t.place_second.size()];
  std::string root;
  root.reserve(a.size() + b.size());
  root.append(a).append(b);
  return root;
}

void AppendInt(std::string& out, int value) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 11);
  while (n > 0) out.push_back(buf[--n]);
}

// Writes `value` as exactly `width` digits (leading zeros).
void WriteDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// --- Distributions. All synthetic, chosen to look like a migrant population; none is a statistic.

struct AgeBand {
  int min_age, max_age, weight;
};
// Mostly of working age (20–45 about 62%), about 10% aged 0–6, some school-age children, few
// over 60.
constexpr std::array<AgeBand, 9> kAgeBands = {{
    {0, 0, 2},
    {1, 6, 8},
    {7, 17, 8},
    {18, 19, 3},
    {20, 29, 26},
    {30, 39, 25},
    {40, 45, 11},
    {46, 59, 13},
    {60, 75, 4},
}};

struct DayBand {
  int min_days, max_days, weight;
};
// How long ago persons arrived: straddles the 30-day, 3-month and 6-month thresholds of
// 南宁市实施办法 §三(一) and 试点工作方案 §四(一)(三), so that every eligibility outcome occurs.
constexpr std::array<DayBand, 6> kStayBands = {{
    {1, 29, 8},
    {30, 89, 12},
    {90, 182, 12},
    {183, 364, 18},
    {365, 1094, 25},
    {1095, 3650, 25},
}};
// How long before arriving persons left their 户籍地: a few days to some years.
constexpr std::array<DayBand, 3> kAwayBands = {{{1, 30, 50}, {31, 365, 25}, {366, 2920, 25}}};

struct SourceRegion {
  std::string_view prefix;  // GB/T 2260 code prefix
  std::string_view except;  // a prefix excluded from it
  int weight;               // per cent of persons
  int ethnic_table;         // index into kEthnicTables
  bool guangxi;             // Guangxi surname frequencies
};
// Where Nanning's migrants come from: mostly elsewhere in Guangxi, then the neighbouring provinces.
// Persons from Nanning's own counties are 同城 人户分离 and not migrants (南宁市实施办法 §三(一));
// they are included so that the exclusion can be seen.
constexpr std::array<SourceRegion, 9> kSourceRegions = {{
    {"4501", "", 5, 0, true},     // 南宁市
    {"45", "4501", 45, 0, true},  // 广西 outside Nanning
    {"43", "", 10, 2, false},     // 湖南
    {"44", "", 12, 3, false},     // 广东
    {"52", "", 7, 1, false},      // 贵州
    {"53", "", 5, 2, false},      // 云南
    {"51", "", 6, 3, false},      // 四川
    {"36", "", 5, 3, false},      // 江西
    {"41", "", 5, 3, false},      // 河南
}};

struct EthnicShare {
  std::string_view code;  // GB/T 3304
  int weight;
};
constexpr std::array<std::array<EthnicShare, 5>, 4> kEthnicTables = {{
    {{{"01", 55}, {"08", 35}, {"13", 5}, {"12", 3}, {"06", 2}}},   // Guangxi: 汉 壮 瑶 侗 苗
    {{{"01", 65}, {"06", 20}, {"12", 15}, {"08", 0}, {"13", 0}}},  // Guizhou: 汉 苗 侗
    {{{"01", 85}, {"06", 6}, {"13", 5}, {"12", 4}, {"08", 0}}},    // Hunan, Yunnan
    {{{"01", 99}, {"08", 1}, {"06", 0}, {"12", 0}, {"13", 0}}},    // elsewhere
}};

// Mainland mobile prefixes in use (1[3-9]x).
constexpr std::array<std::string_view, 36> kMobilePrefixes = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
    "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
    "178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199",
};

struct ReasonShare {
  MoveReason reason;
  int weight;
};
// Mostly work, business and family, with a few of each reason the rules exclude.
constexpr std::array<ReasonShare, 11> kAdultReasons = {{
    {MoveReason::kWork, 550},
    {MoveReason::kBusiness, 150},
    {MoveReason::kFamily, 150},
    {MoveReason::kMarriage, 30},
    {MoveReason::kStudy, 30},
    {MoveReason::kMedical, 15},
    {MoveReason::kTravel, 10},
    {MoveReason::kVisit, 20},
    {MoveReason::kMilitary, 5},
    {MoveReason::kBusinessTrip, 15},
    {MoveReason::kOther, 25},
}};
constexpr std::array<ReasonShare, 3> kChildReasons = {{
    {MoveReason::kFamily, 950},
    {MoveReason::kVisit, 30},
    {MoveReason::kMedical, 20},
}};
constexpr std::array<ReasonShare, 4> kTeenReasons = {{
    {MoveReason::kFamily, 600},
    {MoveReason::kStudy, 250},
    {MoveReason::kWork, 100},
    {MoveReason::kVisit, 50},
}};
constexpr std::array<ReasonShare, 6> kElderReasons = {{
    {MoveReason::kFamily, 600},
    {MoveReason::kVisit, 150},
    {MoveReason::kMedical, 100},
    {MoveReason::kBusiness, 50},
    {MoveReason::kWork, 50},
    {MoveReason::kOther, 50},
}};

struct Job {
  std::string_view occupation;
  std::string_view employer_kind;  // the end of a synthetic company name
};
constexpr std::array<Job, 14> kJobs = {{
    {"建筑工人", "建筑工程有限公司"},
    {"工厂普工", "电子科技有限公司"},
    {"快递员", "物流有限公司"},
    {"外卖骑手", "网络科技有限公司"},
    {"餐饮服务员", "餐饮管理有限公司"},
    {"厨师", "餐饮管理有限公司"},
    {"保洁员", "物业服务有限公司"},
    {"保安员", "物业服务有限公司"},
    {"家政服务员", "家政服务有限公司"},
    {"货车司机", "运输有限公司"},
    {"装修工", "装饰工程有限公司"},
    {"销售人员", "商贸有限公司"},
    {"仓库管理员", "供应链管理有限公司"},
    {"美发师", "美容美发有限公司"},
}};
constexpr std::array<std::string_view, 5> kTrades = {"个体经营", "批发零售", "餐饮店经营",
                                                     "水果蔬菜摊贩", "网店经营"};
constexpr std::array<std::string_view, 3> kRoadSuffixes = {"路", "大道", "街"};

struct MaritalShares {
  int min_age;
  std::array<int, 5> weights;  // single, married, divorced, widowed, unknown
};
constexpr std::array<MaritalShares, 6> kMaritalByAge = {{
    {18, {950, 40, 0, 0, 10}},
    {20, {700, 280, 5, 0, 15}},
    {25, {400, 570, 15, 0, 15}},
    {30, {110, 830, 45, 2, 13}},
    {40, {40, 860, 60, 25, 15}},
    {60, {20, 700, 50, 220, 10}},
}};
constexpr std::array<MaritalStatus, 5> kMaritalOrder = {
    MaritalStatus::kSingle, MaritalStatus::kMarried, MaritalStatus::kDivorced,
    MaritalStatus::kWidowed, MaritalStatus::kUnknown};

constexpr std::array<std::string_view, 3> kRejectReasons = {
    "证件照片不清晰，无法核对", "证件信息与登记信息不一致", "提交的不是本人证件"};

// Synthetic validity of a 居住证: the 居住证暂行条例 leaves it to each province.
constexpr int kPermitYears = 3;

MaritalStatus DrawMarital(Rng& rng, int age) {
  const MaritalShares* shares = &kMaritalByAge[0];
  for (const MaritalShares& s : kMaritalByAge) {
    if (age >= s.min_age) shares = &s;
  }
  int total = 0;
  for (int w : shares->weights) total += w;
  int r = static_cast<int>(rng.Below(static_cast<std::size_t>(total)));
  for (std::size_t i = 0; i < shares->weights.size(); ++i) {
    if (r < shares->weights[i]) return kMaritalOrder[i];
    r -= shares->weights[i];
  }
  return MaritalStatus::kUnknown;
}

// "YYYY-MM-DDTHH:MM:SS.000Z" (the form of FormatTimestamp) at a random time in Beijing office hours
// (01:00–09:00 UTC) of day `d`; written by hand because it runs twice per document.
std::string Timestamp(Rng& rng, const Date& d) {
  char buf[24];
  WriteDigits(buf, static_cast<int>(d.year()), 4);
  buf[4] = '-';
  WriteDigits(buf + 5, static_cast<int>(static_cast<unsigned>(d.month())), 2);
  buf[7] = '-';
  WriteDigits(buf + 8, static_cast<int>(static_cast<unsigned>(d.day())), 2);
  buf[10] = 'T';
  WriteDigits(buf + 11, rng.Between(1, 8), 2);
  buf[13] = ':';
  WriteDigits(buf + 14, rng.Between(0, 59), 2);
  buf[16] = ':';
  WriteDigits(buf + 17, rng.Between(0, 59), 2);
  std::memcpy(buf + 19, ".000Z", 5);
  return std::string(buf, sizeof buf);
}

std::string MobileNumber(Rng& rng) {
  std::string phone(kMobilePrefixes[rng.Below(kMobilePrefixes.size())]);
  for (int i = 0; i < 8; ++i) phone.push_back(rng.Digit());
  return phone;
}

std::string Digits(Rng& rng, int n) {
  std::string s;
  s.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) s.push_back(rng.Digit());
  return s;
}

// The public security bureau of a county: "南宁市公安局青秀分局" for a district of a city,
// "隆安县公安局" otherwise.
std::string PoliceOf(const Divisions& divisions, const std::string& code, std::string_view name) {
  if (!name.ends_with("区")) return std::string(name) + "公安局";
  name.remove_suffix(std::string_view("区").size());
  std::string city = divisions.Name(code.substr(0, 4) + "00").value_or("");
  return city + "公安局" + std::string(name) + "分局";
}

}  // namespace

namespace demo_tables {
std::span<const Surname> Surnames() { return kSurnames; }
std::span<const NameChar> GivenNameChars() { return kGivenNameChars; }
std::span<const PlaceChar> PlaceNameChars() { return kPlaceNameChars; }
}  // namespace demo_tables

DemoOrgTree GenerateOrgTree(std::uint64_t seed) {
  Rng rng(Mix(seed ^ 0x6A09E667F3BCC908ULL));
  const Divisions& divisions = Divisions::Builtin();
  const std::string city_code = "450100";
  const std::string city_path = city_code + "/";
  DemoOrgTree tree;
  tree.units.push_back(
      {city_code, divisions.Name(city_code).value_or("南宁市"), OrgLevel::kCity, "", city_path});
  std::set<std::string> used_roots;  // no two units share a name
  auto unique_root = [&] {
    while (true) {
      std::string root = PlaceRoot(rng);
      if (used_roots.insert(root).second) return root;
    }
  };
  for (const Division& county : divisions.CountiesOf(city_code)) {
    const std::string county_path = city_path + county.code + "/";
    tree.units.push_back({county.code, county.name, OrgLevel::kDistrict, city_code, county_path});
    // Urban districts are divided into 街道, counties and county-level cities into 镇 and 乡.
    const bool urban = county.name.ends_with("区");
    const int n_streets = rng.Between(4, 8);
    const int n_jiedao = urban ? (2 * n_streets + 2) / 3 : 0;
    const int n_xiang = urban ? 0 : rng.Between(0, 2);
    int next_code[3] = {1, 100, 200};  // 街道 001–099, 镇 100–199, 乡 200–299
    for (int s = 0; s < n_streets; ++s) {
      const int kind = s < n_jiedao ? 0 : (s < n_streets - n_xiang ? 1 : 2);
      std::string street_code = county.code + "000";
      WriteDigits(street_code.data() + 6, next_code[kind]++, 3);
      static constexpr std::array<std::string_view, 3> kStreetSuffix = {"街道", "镇", "乡"};
      const std::string street_path = county_path + street_code + "/";
      tree.units.push_back({street_code, unique_root() + std::string(kStreetSuffix[kind]),
                            OrgLevel::kStreet, county.code, street_path});
      // 社区 (居委会, 001–199) under 街道, 村 (村委会, 200–399) under 镇 and 乡.
      const bool villages = kind != 0;
      const int n_communities = rng.Between(3, 6);
      for (int c = 0; c < n_communities; ++c) {
        std::string code = street_code + "000";
        WriteDigits(code.data() + 9, (villages ? 200 : 1) + c, 3);
        std::string path = street_path + code + "/";
        tree.units.push_back({std::move(code), unique_root() + (villages ? "村" : "社区"),
                              OrgLevel::kCommunity, street_code, std::move(path)});
      }
    }
  }
  return tree;
}

DemoPersonGenerator::DemoPersonGenerator(const DemoOrgTree& tree, DemoOptions options)
    : options_(options) {
  const Divisions& divisions = Divisions::Builtin();
  // Source counties by region, in code order so that a seed gives the same persons everywhere.
  pools_.resize(kSourceRegions.size());
  for (const Division& d : divisions.CurrentCounties()) {
    for (std::size_t i = 0; i < kSourceRegions.size(); ++i) {
      const SourceRegion& r = kSourceRegions[i];
      if (!d.code.starts_with(r.prefix)) continue;
      if (!r.except.empty() && d.code.starts_with(r.except)) continue;
      pools_[i].counties.push_back({d.code, divisions.FullName(d.code), d.name,
                                    PoliceOf(divisions, d.code, d.name), d.name.ends_with("区")});
      break;
    }
  }
  std::uint32_t total = 0;
  for (std::size_t i = 0; i < kSourceRegions.size(); ++i) {
    pools_[i].ethnic_table = kSourceRegions[i].ethnic_table;
    pools_[i].guangxi = kSourceRegions[i].guangxi;
    if (!pools_[i].counties.empty()) total += static_cast<std::uint32_t>(kSourceRegions[i].weight);
    pool_cumulative_.push_back(total);
  }
  assert(total > 0 && "no source counties: the division tables are missing");
  // Homes: every community of the tree; urban 社区 are denser than villages.
  std::map<std::string, const OrgUnit*, std::less<>> by_code;
  for (const OrgUnit& u : tree.units) by_code.emplace(u.code, &u);
  std::uint32_t home_total = 0;
  for (const OrgUnit& u : tree.units) {
    if (u.level != OrgLevel::kCommunity) continue;
    const OrgUnit* street = by_code.count(u.parent_code) ? by_code[u.parent_code] : nullptr;
    const OrgUnit* district =
        street && by_code.count(street->parent_code) ? by_code[street->parent_code] : nullptr;
    const bool village = u.name.ends_with("村");
    Home h;
    h.code = u.code;
    h.path = u.path;
    h.address_prefix = "南宁市" + (district ? district->name : std::string()) +
                       (street ? street->name : std::string()) + u.name;
    h.community_root = u.name.substr(0, u.name.size() - (village ? 3 : 6));  // minus 村 / 社区
    h.police = district ? PoliceOf(divisions, district->code, district->name) : std::string();
    h.village = village;
    home_total += village ? 1 : 4;
    homes_.push_back(std::move(h));
    home_cumulative_.push_back(home_total);
  }
}

DemoPerson DemoPersonGenerator::Generate(std::int64_t index) const {
  const NameTables& names = Names();
  Rng rng(Mix(Mix(options_.seed) ^ (static_cast<std::uint64_t>(index) * 0xD1B54A32D192ED03ULL)));
  const Date& as_of = options_.as_of;
  DemoPerson out;
  Person& p = out.person;

  const bool male = rng.PerMille(520);
  p.sex = male ? Sex::kMale : Sex::kFemale;
  const AgeBand& band = PickWeighted(rng, kAgeBands);
  const int age = rng.Between(band.min_age, band.max_age);
  // Up to 364 days before the birthday of `age`, so the age on as_of is exactly `age`.
  const Date birth = AddDays(AddYears(as_of, -age), -rng.Between(age == 0 ? 1 : 0, 364));
  p.birth_date = birth;

  const SourcePool& pool = pools_[PickCumulative(rng, pool_cumulative_)];
  const SourceCounty& county = pool.counties[rng.Below(pool.counties.size())];

  // Name: surname by frequency, then one or two given-name characters.
  p.name.append(kSurnames[PickCumulative(rng, pool.guangxi ? names.guangxi_cumulative
                                                           : names.national_cumulative)]
                    .surname);
  const std::vector<std::string_view>& given = male ? names.male : names.female;
  const int given_length = rng.PerMille(250) ? 1 : 2;
  for (int i = 0; i < given_length; ++i) p.name.append(given[rng.Below(given.size())]);

  // Identity document. Some newborns have no ID number yet, only the 出生医学证明.
  if (age == 0 && rng.PerMille(400)) {
    p.id_type = IdType::kBirthCertificate;
    p.id_number.push_back("OPQR"[rng.Below(4)]);
    for (int i = 0; i < 9; ++i) p.id_number.push_back(rng.Digit());
  } else {
    // GB 11643-1999: address code, birth date, sequence (odd for men, even for women), check.
    char id[18];
    county.code.copy(id, 6);
    WriteDigits(id + 6, static_cast<int>(birth.year()), 4);
    WriteDigits(id + 10, static_cast<int>(static_cast<unsigned>(birth.month())), 2);
    WriteDigits(id + 12, static_cast<int>(static_cast<unsigned>(birth.day())), 2);
    const int sequence = male ? 2 * rng.Between(0, 499) + 1 : 2 * rng.Between(1, 499);
    WriteDigits(id + 14, sequence, 3);
    id[17] = IdCheckCharacter(std::string_view(id, 17));
    p.id_type = IdType::kResidentId;
    p.id_number.assign(id, 18);
  }

  p.ethnicity = PickWeighted(rng, kEthnicTables[static_cast<std::size_t>(pool.ethnic_table)]).code;
  // Adults have their own phone; children have none or the guardian's.
  if (age >= 16 || rng.PerMille(500)) p.phone = MobileNumber(rng);

  p.hukou_division = county.code;
  p.hukou_address.reserve(county.full_name.size() + 32);
  p.hukou_address.append(county.full_name);
  if (county.urban) {
    p.hukou_address.append(PlaceRoot(rng)).append(kRoadSuffixes[rng.Below(kRoadSuffixes.size())]);
  } else {
    p.hukou_address.append(PlaceRoot(rng)).append("镇").append(PlaceRoot(rng)).append("村");
  }
  AppendInt(p.hukou_address, rng.Between(1, 200));
  p.hukou_address.append("号");

  const Home& home = homes_[PickCumulative(rng, home_cumulative_)];
  p.residence_org = home.code;
  p.residence_path = home.path;
  p.residence_address.reserve(home.address_prefix.size() + 48);
  p.residence_address.append(home.address_prefix);
  if (home.village) {
    AppendInt(p.residence_address, rng.Between(1, 12));
    p.residence_address.append("组");
    AppendInt(p.residence_address, rng.Between(1, 80));
    p.residence_address.append("号");
  } else {
    p.residence_address.append(PlaceRoot(rng))
        .append(kRoadSuffixes[rng.Below(kRoadSuffixes.size())]);
    AppendInt(p.residence_address, rng.Between(1, 300));
    p.residence_address.append("号");
    AppendInt(p.residence_address, rng.Between(1, 20));
    p.residence_address.append("栋");
    AppendInt(p.residence_address, rng.Between(1, 3) * 100 + rng.Between(1, 4));
    p.residence_address.append("室");
  }

  // Arrival, and leaving the 户籍地 before it. A child younger than the stay was born here.
  const DayBand& stay = PickWeighted(rng, kStayBands);
  Date arrived = AddDays(as_of, -rng.Between(stay.min_days, stay.max_days));
  if (arrived < birth) {
    arrived = birth;
    p.left_hukou_on = birth;
  } else if (!rng.PerMille(50)) {  // 5% do not know or did not say
    const DayBand& away = PickWeighted(rng, kAwayBands);
    Date left = AddDays(arrived, -rng.Between(away.min_days, away.max_days));
    p.left_hukou_on = left < birth ? birth : left;
  }
  p.arrived_on = arrived;

  // Reason for moving, occupation and employer.
  MoveReason reason;
  if (age < 15) {
    reason = PickWeighted(rng, kChildReasons).reason;
  } else if (age < 18) {
    reason = PickWeighted(rng, kTeenReasons).reason;
  } else if (age >= 60) {
    reason = PickWeighted(rng, kElderReasons).reason;
  } else {
    reason = PickWeighted(rng, kAdultReasons).reason;
    if (reason == MoveReason::kMilitary && age > 45) reason = MoveReason::kOther;
  }
  p.move_reason = reason;
  auto add_job = [&] {
    const Job& job = kJobs[rng.Below(kJobs.size())];
    p.occupation = job.occupation;
    p.employer.reserve(48);
    p.employer.append("南宁").append(PlaceRoot(rng)).append(job.employer_kind);
  };
  if (age <= 6) {
    p.occupation = "学龄前儿童";
  } else if (age < 18 || reason == MoveReason::kStudy) {
    p.occupation = "学生";
  } else if (reason == MoveReason::kMilitary) {
    p.occupation = "现役军人";
  } else if (reason == MoveReason::kBusiness) {
    p.occupation = kTrades[rng.Below(kTrades.size())];
    if (rng.PerMille(700)) p.employer = "个体工商户";
  } else if (reason == MoveReason::kWork || reason == MoveReason::kBusinessTrip ||
             reason == MoveReason::kOther) {
    add_job();
  } else if (age >= 60) {
    p.occupation = rng.PerMille(600) ? "离退休人员" : "无业";
  } else if (rng.PerMille(500)) {
    add_job();
  } else {
    p.occupation = "家务";
  }

  if (age < 15) {
    p.marital_status = MaritalStatus::kUnknown;  // not asked below 15
  } else if (age < 18) {
    p.marital_status = MaritalStatus::kSingle;
  } else if (reason == MoveReason::kMarriage) {
    p.marital_status = MaritalStatus::kMarried;
  } else {
    p.marital_status = DrawMarital(rng, age);
  }

  // Documents (服务凭证, 南宁市实施办法 §三(二)) in every review state.
  auto add_document = [&](DocumentType type, std::string number, std::string issued_by,
                          std::optional<Date> issued_on, std::optional<Date> valid_until,
                          int approved_per_mille, int pending_per_mille) {
    Document d;
    d.type = type;
    d.number = std::move(number);
    d.issued_by = std::move(issued_by);
    d.issued_on = issued_on;
    d.valid_until = valid_until;
    const int r = static_cast<int>(rng.Below(1000));
    d.status = r < approved_per_mille                       ? DocumentStatus::kApproved
               : r < approved_per_mille + pending_per_mille ? DocumentStatus::kPending
                                                            : DocumentStatus::kRejected;
    Date submitted =
        AddDays(issued_on ? std::max(*issued_on, arrived) : arrived, rng.Between(0, 20));
    // Pending documents are recent: older ones would have been reviewed.
    if (d.status == DocumentStatus::kPending && DaysBetween(submitted, as_of) > 30) {
      submitted = AddDays(as_of, -rng.Between(0, 30));
      if (issued_on && submitted < *issued_on) submitted = *issued_on;
    }
    if (submitted > as_of) submitted = as_of;
    d.submitted_at = Timestamp(rng, submitted);
    d.submitted_by = "demo";
    if (d.status != DocumentStatus::kPending) {
      Date reviewed = AddDays(submitted, rng.Between(1, 10));
      if (reviewed > as_of) reviewed = as_of;
      d.reviewed_at = Timestamp(rng, reviewed);
      if (d.reviewed_at < d.submitted_at) d.reviewed_at = d.submitted_at;
      d.reviewed_by = "demo";
      if (d.status == DocumentStatus::kRejected) {
        d.review_reason = valid_until && *valid_until < submitted
                              ? "证件已过有效期"
                              : kRejectReasons[rng.Below(kRejectReasons.size())];
      }
    }
    out.documents.push_back(std::move(d));
  };

  // 居住证暂行条例 第二条 (6 months of residence) and 第九条 (issued within 15 days).
  const Date permit_from = AddDays(AddMonths(arrived, 6), 15);
  if (age >= 18 && permit_from <= as_of && rng.PerMille(600)) {
    Date issued = AddDays(permit_from, rng.Between(0, 60));
    if (issued > as_of) issued = as_of;
    Date valid = AddDays(AddYears(issued, kPermitYears), -1);
    // Most renew on expiry; the others let the permit lapse.
    if (rng.PerMille(750)) {
      while (valid < as_of) {
        issued = AddYears(issued, kPermitYears);
        valid = AddDays(AddYears(issued, kPermitYears), -1);
      }
    }
    // Synthetic number: 4501, the district, the year of issue, a serial.
    p.residence_permit_no.reserve(16);
    p.residence_permit_no.append("4501").append(std::string_view(home.code).substr(4, 2));
    AppendInt(p.residence_permit_no, static_cast<int>(issued.year()));
    for (int i = 0; i < 6; ++i) p.residence_permit_no.push_back(rng.Digit());
    p.residence_permit_valid_until = valid;
    add_document(DocumentType::kResidencePermit, p.residence_permit_no, home.police, issued, valid,
                 800, 120);
  } else if (rng.PerMille(550)) {
    const int kind = static_cast<int>(rng.Below(1000));
    const bool fertility_age =
        !male && age >= 18 && age <= 49 && p.marital_status == MaritalStatus::kMarried;
    if (kind < 450) {
      // 居住证明 from the local police station; synthetic validity of 6 months.
      Date issued = AddDays(arrived, rng.Between(1, 60));
      if (issued > as_of) issued = as_of;
      add_document(DocumentType::kResidenceCertificate, Digits(rng, 12),
                   home.community_root + "派出所", issued, AddDays(AddMonths(issued, 6), -1), 600,
                   280);
    } else if (kind < 800 || (kind < 950 && !fertility_age)) {
      if (p.id_type == IdType::kBirthCertificate) {
        add_document(DocumentType::kOther, p.id_number, "南宁市妇幼保健院", birth, std::nullopt,
                     600, 280);
      } else {
        add_document(DocumentType::kHukouOrId, p.id_number, county.police, std::nullopt,
                     std::nullopt, 600, 280);
      }
    } else if (kind < 950) {
      const Date issued = p.left_hukou_on ? *p.left_hukou_on : arrived;
      add_document(DocumentType::kMarriageFertilityCertificate, Digits(rng, 10),
                   county.short_name + "卫生健康局", issued, std::nullopt, 600, 280);
    } else {
      add_document(DocumentType::kOther, Digits(rng, 10),
                   p.employer.empty() ? home.community_root + "居委会" : p.employer, std::nullopt,
                   std::nullopt, 600, 280);
    }
  }

  // 居民健康卡: synthetic 18-digit number for some.
  if (rng.PerMille(150)) p.health_card_no = "4501" + Digits(rng, 14);
  return out;
}

std::vector<DemoUser> DemoUsers(const DemoOrgTree& tree) {
  using auth::Role;
  std::vector<DemoUser> users;
  const std::string city = tree.units.empty() ? std::string("450100") : tree.units.front().code;
  const std::string city_name =
      tree.units.empty() ? std::string("南宁市") : tree.units.front().name;
  // 等保 2.0 三员: security, system and audit administrators, who see no personal data.
  users.push_back({"secadmin", Role::kSecadmin, city, "安全管理员"});
  users.push_back({"sysadmin", Role::kSysadmin, city, "系统管理员"});
  users.push_back({"auditor", Role::kAuditor, city, "安全审计员"});
  users.push_back({"commission", Role::kCommission, city, city_name + "卫生健康委员会"});

  auto first_child = [&](const std::string& parent) -> const OrgUnit* {
    for (const OrgUnit& u : tree.units) {
      if (u.parent_code == parent) return &u;
    }
    return nullptr;
  };
  int districts = 0;
  const OrgUnit* village_street = nullptr;
  for (const OrgUnit& u : tree.units) {
    if (u.level != OrgLevel::kDistrict || districts == 2) continue;
    ++districts;
    users.push_back({"district_" + u.code, Role::kDistrict, u.code, u.name + "卫生健康局"});
    // The district's own CDC, which verifies the signals of its district (传染病信息报告管理
    // 规范 2015 三(三)), its 精防 institution and its 综治 office, which receives danger alerts
    // (严重精神障碍管理治疗工作规范 2018 第二章).
    users.push_back({"cdc_" + u.code, Role::kCdc, u.code, u.name + "疾病预防控制中心"});
    users.push_back({"psychiatry_" + u.code, Role::kPsychiatry, u.code, u.name + "精神卫生防治所"});
    users.push_back({"partner_" + u.code, Role::kPartner, u.code, u.name + "综治中心"});
    if (const OrgUnit* street = first_child(u.code)) {
      users.push_back(
          {"center_" + street->code, Role::kCenter, street->code,
           street->name + (street->name.ends_with("街道") ? "社区卫生服务中心" : "卫生院")});
      if (!village_street) village_street = street;
    }
  }
  if (village_street) {
    if (const OrgUnit* community = first_child(village_street->code)) {
      users.push_back(
          {"village_" + community->code, Role::kVillage, community->code,
           community->name + (community->name.ends_with("村") ? "卫生室" : "卫生服务站")});
    }
  }
  users.push_back({"cdc", Role::kCdc, city, city_name + "疾病预防控制中心"});
  users.push_back({"finance", Role::kFinance, city, city_name + "财政局"});
  // 南宁市实施办法 §五: 综治办、农民工办、民政局 work with the commission.
  users.push_back({"partner", Role::kPartner, city, city_name + "农民工工作领导小组办公室"});
  return users;
}

}  // namespace jd::registry
