#include "unify/row_function.h"

#include <algorithm>
#include <atomic>
#include <exception>

#include "duckdb.h"
#include "engine/quote.h"
#include "util/strings.h"

namespace cdmlake::unify {

struct RowFunction::Holder {
  RowFunction* owner = nullptr;

  Set* Find(const std::string& name) const {
    if (!owner) return nullptr;
    auto it = owner->sets_.find(name);
    return it == owner->sets_.end() ? nullptr : &it->second;
  }
};

namespace {

// What a scan of one set keeps between calls.
struct ScanState {
  RowFunction::Set* set = nullptr;
  size_t next = 0;
  RowCells cells;
  explicit ScanState(RowFunction::Set* s) : set(s), cells(s->columns.size()) {}
};

void Bind(duckdb_bind_info info) {
  auto* holder = static_cast<RowFunction::Holder*>(duckdb_bind_get_extra_info(info));
  duckdb_value parameter = duckdb_bind_get_parameter(info, 0);
  char* text = duckdb_get_varchar(parameter);
  const std::string name = text ? text : "";
  duckdb_free(text);
  duckdb_destroy_value(&parameter);
  RowFunction::Set* set = holder->Find(name);
  if (!set) {
    duckdb_bind_set_error(info, ("cdmlake: no row set '" + name + "' (the unification run that made it has ended)").c_str());
    return;
  }
  duckdb_logical_type varchar = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
  for (const std::string& column : set->columns) duckdb_bind_add_result_column(info, column.c_str(), varchar);
  duckdb_destroy_logical_type(&varchar);
  duckdb_bind_set_cardinality(info, set->source->size(), true);
  duckdb_bind_set_bind_data(info, set, nullptr);
}

void Init(duckdb_init_info info) {
  auto* set = static_cast<RowFunction::Set*>(duckdb_init_get_bind_data(info));
  duckdb_init_set_init_data(info, new ScanState(set), [](void* p) { delete static_cast<ScanState*>(p); });
  duckdb_init_set_max_threads(info, 1);  // one thread: rows come out in the source's order
}

void Scan(duckdb_function_info info, duckdb_data_chunk output) {
  auto* state = static_cast<ScanState*>(duckdb_function_get_init_data(info));
  try {
    RowSource& source = *state->set->source;
    const size_t columns = state->set->columns.size();
    const size_t count = std::min<size_t>(duckdb_vector_size(), source.size() - std::min(source.size(), state->next));
    std::vector<duckdb_vector> vectors(columns);
    std::vector<uint64_t*> validity(columns, nullptr);
    for (size_t c = 0; c < columns; ++c) vectors[c] = duckdb_data_chunk_get_vector(output, c);
    for (size_t i = 0; i < count; ++i) {
      state->cells.Clear();
      source.Row(state->next + i, &state->cells);
      for (size_t c = 0; c < columns; ++c) {
        if (state->cells.IsNull(c)) {
          if (!validity[c]) {
            duckdb_vector_ensure_validity_writable(vectors[c]);
            validity[c] = duckdb_vector_get_validity(vectors[c]);
          }
          duckdb_validity_set_row_invalid(validity[c], i);
          continue;
        }
        const std::string_view value = state->cells.Get(c);
        duckdb_vector_assign_string_element_len(vectors[c], i, value.data(), value.size());
      }
    }
    state->next += count;
    duckdb_data_chunk_set_size(output, count);
  } catch (const std::exception& e) {
    duckdb_function_set_error(info, e.what());
  }
}

std::atomic<uint64_t> next_function{0};

}  // namespace

RowFunction::RowFunction(engine::Connection& connection)
    : function_name_("__cdmlake_unify_rows_" + std::to_string(next_function.fetch_add(1))) {
  duckdb_table_function function = duckdb_create_table_function();
  duckdb_table_function_set_name(function, function_name_.c_str());
  duckdb_logical_type varchar = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
  duckdb_table_function_add_parameter(function, varchar);
  duckdb_destroy_logical_type(&varchar);
  holder_ = new Holder{this};
  duckdb_table_function_set_extra_info(function, holder_, [](void* p) { delete static_cast<Holder*>(p); });
  duckdb_table_function_set_bind(function, Bind);
  duckdb_table_function_set_init(function, Init);
  duckdb_table_function_set_function(function, Scan);
  const duckdb_state state = duckdb_register_table_function(connection.raw(), function);
  duckdb_destroy_table_function(&function);
  if (state != DuckDBSuccess) {
    holder_ = nullptr;  // freed by DuckDB with the function, or never kept
    throw engine::EngineError(DUCKDB_ERROR_CATALOG, "cannot register the table function " + function_name_);
  }
}

RowFunction::~RowFunction() {
  if (holder_) holder_->owner = nullptr;
}

std::string RowFunction::Add(const std::string& name, std::vector<std::string> columns,
                             std::unique_ptr<RowSource> source, const std::map<std::string, std::string>& casts) {
  std::vector<std::string> select;
  for (const auto& c : columns) {
    auto it = casts.find(c);
    select.push_back(it == casts.end() ? engine::QuoteIdentifier(c)
                                       : "CAST(" + engine::QuoteIdentifier(c) + " AS " + it->second + ") AS " +
                                             engine::QuoteIdentifier(c));
  }
  sets_[name] = Set{std::move(columns), std::move(source)};
  return "SELECT " + Join(select, ", ") + " FROM " + function_name_ + "(" + engine::QuoteLiteral(name) + ")";
}

}  // namespace cdmlake::unify
