package dataapitest

import (
	"crypto/rand"
	"fmt"
	"sort"
	"strings"
)

// apiError is one entry of a response's "errors" array (or, with scope
// WARNING, of status.warnings).
type apiError struct {
	family  string // REQUEST or SERVER
	scope   string
	code    string
	message string
	status  int   // HTTP status the error forces; 0 = 200
	docIDs  []*jv // documentIds: the documents a collection error is about
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// newErr builds a REQUEST-family error.
func newErr(scope, code, format string, args ...any) *apiError {
	return &apiError{family: "REQUEST", scope: scope, code: code, message: fmt.Sprintf(format, args...)}
}

// serverErr builds a SERVER-family error.
func serverErr(scope, code, format string, args ...any) *apiError {
	return &apiError{family: "SERVER", scope: scope, code: code, message: fmt.Sprintf(format, args...)}
}

// warning builds a status.warnings entry.
func warning(code, format string, args ...any) *apiError {
	return newErr("WARNING", code, format, args...)
}

func (e *apiError) title() string {
	if t, ok := errorTitles[e.scope+"/"+e.code]; ok {
		return t
	}
	if t, ok := errorTitles["/"+e.code]; ok {
		return t
	}
	return strings.ReplaceAll(strings.ToLower(e.code), "_", " ")
}

func newUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return formatUUID(u)
}

// toJV renders the error object with its fields in the server's order.
func (e *apiError) toJV() *jv {
	out := jObj(
		member{"id", jStr(newUUID())},
		member{"family", jStr(e.family)},
		member{"scope", jStr(e.scope)},
		member{"errorCode", jStr(e.code)},
		member{"title", jStr(e.title())},
		member{"message", jStr(e.message)},
	)
	if len(e.docIDs) > 0 {
		out.set("documentIds", jArr(e.docIDs...))
	}
	return out
}

// colList renders columns as the server's messages do: name(type), joined
// by ", ", or [None] when empty.
func colList(t *table, names []string) string {
	if len(names) == 0 {
		return "[None]"
	}
	parts := make([]string, len(names))
	for i, n := range names {
		if c := t.col(n); c != nil {
			parts[i] = n + "(" + c.typ.String() + ")"
		} else {
			parts[i] = n
		}
	}
	return strings.Join(parts, ", ")
}

func nameList(names []string) string {
	if len(names) == 0 {
		return "[None]"
	}
	return strings.Join(names, ", ")
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func allColumnNames(t *table) []string {
	n := make([]string, len(t.cols))
	for i, c := range t.cols {
		n[i] = c.name
	}
	return n
}

// errorTitles holds the fixed title of each error code, keyed by
// "SCOPE/CODE" (the same code can exist in several scopes). These strings
// are part of the wire protocol: clients show them.
var errorTitles = map[string]string{
	"/COMMAND_ACCEPTS_NO_OPTIONS":                                             "Command accepts no options",
	"/COMMAND_FIELD_VALUE_INVALID":                                            "Command field value invalid",
	"/COMMAND_FIELD_UNKNOWN":                                                  "Command field unknown",
	"/COMMAND_UNKNOWN":                                                        "Command is not recognized by Data API",
	"/HYBRID_FIELD_CONFLICT":                                                  "Conflict with $hybrid field",
	"/HYBRID_FIELD_UNSUPPORTED_VALUE_TYPE":                                    "Unsupported JSON value type for $hybrid field",
	"/HYBRID_FIELD_UNKNOWN_SUBFIELDS":                                         "Unknown sub-field(s) for $hybrid field",
	"/HYBRID_FIELD_UNSUPPORTED_SUBFIELD_VALUE_TYPE":                           "Unsupported JSON value type for $hybrid sub-field",
	"/INVALID_CREATE_COLLECTION_FIELD":                                        "Invalid field(s) for createCollection",
	"/REQUEST_NOT_JSON":                                                       "Request not valid JSON",
	"/REQUEST_STRUCTURE_MISMATCH":                                             "Request structure not valid",
	"/UNSUPPORTED_CONTENT_TYPE":                                               "Unsupported Content-Type",
	"/UNSUPPORTED_TABLE_COMMAND":                                              "Command is not supported by tables",
	"/UNSUPPORTED_COLLECTION_COMMAND":                                         "Command is not supported by collections",
	"/UNSUPPORTED_RERANKING_COMMAND":                                          "Reranking not enabled and no override provided",
	"/INVALID_RERANK_OVERRIDE":                                                "Invalid reranking service override",
	"/MISSING_RERANK_QUERY_TEXT":                                              "Rerank query text is missing",
	"SECURITY/MISSING_AUTHENTICATION_TOKEN":                                   "Missing authorization token",
	"SECURITY/UNAUTHORIZED_ACCESS":                                            "Unauthorized access to the database",
	"SECURITY/UNAUTHENTICATED_REQUEST":                                        "Authentication failed",
	"DOCUMENT/DOCUMENT_ALREADY_EXISTS":                                        "Document the given _id already exists",
	"DOCUMENT/DOCUMENT_REPLACE_DIFFERENT_DOCID":                               "The replace document and document resolved using filter have different _id",
	"DOCUMENT/INVALID_VECTORIZE_VALUE_TYPE":                                   "Invalid $vectorize value type",
	"DOCUMENT/MISSING_PRIMARY_KEY_COLUMNS":                                    "Primary key columns missing",
	"DOCUMENT/SHRED_BAD_BINARY_VECTOR_VALUE":                                  "Bad binary vector value to shred",
	"DOCUMENT/SHRED_BAD_DOCID_TYPE":                                           "Bad type for '_id' field",
	"DOCUMENT/SHRED_BAD_DOCID_VALUE":                                          "Bad value for '_id' field",
	"DOCUMENT/SHRED_BAD_DOCUMENT_TYPE":                                        "Bad document type to shred",
	"DOCUMENT/SHRED_BAD_DOCUMENT_VECTOR_TYPE":                                 "Bad $vector value to shred",
	"DOCUMENT/SHRED_BAD_DOCUMENT_LEXICAL_TYPE":                                "Bad $lexical value to shred",
	"DOCUMENT/SHRED_BAD_EJSON_VALUE":                                          "Bad JSON Extension value to shred",
	"DOCUMENT/SHRED_BAD_FIELD_NAME":                                           "Document field name not valid",
	"DOCUMENT/SHRED_BAD_VECTOR_SIZE":                                          "Bad $vector value",
	"DOCUMENT/SHRED_BAD_VECTOR_VALUE":                                         "Bad $vector value",
	"DOCUMENT/SHRED_DOC_LIMIT_VIOLATION":                                      "Document size limitation violated",
	"DOCUMENT/UNKNOWN_TABLE_COLUMNS":                                          "Columns in documents are not defined in the table schema",
	"DOCUMENT/UNSUPPORTED_COLUMN_TYPES":                                       "Column types in documents are not supported",
	"DOCUMENT/INVALID_COLUMN_VALUES":                                          "Column values in documents are not valid",
	"DOCUMENT/UNSUPPORTED_VECTORIZE_CONFIGURATIONS":                           "Unsupported combination of vectorize configurations",
	"DOCUMENT/UNSUPPORTED_VECTORIZE_WHEN_MISSING_VECTORIZE_DEFINITION":        "Vectorize not supported on column with missing vectorize configuration",
	"DOCUMENT/LEXICAL_CONTENT_TOO_LONG":                                       "Lexical content exceeds maximum length",
	"DOCUMENT/INVALID_VECTOR_LENGTH":                                          "Vector values in documents are not valid",
	"FILTER/CANNOT_LEXICAL_FILTER_NON_INDEXED_COLUMNS":                        "Lexical filter cannot be used for non-indexed columns",
	"FILTER/FILTER_FIELDS_LIMIT_VIOLATION":                                    "Filter fields size limitation violated",
	"FILTER/FILTER_ID_NOT_INDEXED":                                            "Collection field '_id' not indexed can only filter with '$eq' or '$in'",
	"FILTER/FILTER_INVALID_EXPRESSION":                                        "Unsupported filter clause",
	"FILTER/FILTER_MULTIPLE_ID_FILTER":                                        "Can only have one '_id' equals filter clause",
	"FILTER/FILTER_PATH_UNINDEXED":                                            "Collection path used in filter clause not indexed",
	"FILTER/FILTER_UNSUPPORTED_DATA_TYPE":                                     "Unsupported filter data type",
	"FILTER/FILTER_UNSUPPORTED_OPERATOR":                                      "Unsupported filter operator",
	"FILTER/UNKNOWN_TABLE_COLUMNS":                                            "Columns in the filter are not defined in the table schema",
	"FILTER/INVALID_FILTER_COLUMN_VALUES":                                     "Column value in filter is not valid",
	"FILTER/INVALID_MAP_SET_LIST_FILTER":                                      "Command has invalid filter against a map, set, or list column",
	"FILTER/UNSUPPORTED_COLUMN_TYPES":                                         "Column types in the filter are not supported",
	"FILTER/UNSUPPORTED_FILTERING_FOR_COLUMN_TYPES":                           "Column types in the filter do not support the filter operations",
	"FILTER/UNSUPPORTED_COMPARISON_FILTER_AGAINST_DURATION":                   "Duration data type does not support comparison filters",
	"FILTER/MISSING_FILTER_FOR_UPDATE_DELETE":                                 "Update and delete commands require a filter",
	"FILTER/UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE":                     "updateOne and deleteOne commands only support filtering using $eq",
	"FILTER/UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE":             "Update and delete commands only support filtering on the primary key",
	"FILTER/MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE":                       "updateOne and deleteOne commands require filtering on the full primary key",
	"FILTER/INVALID_PRIMARY_KEY_FILTER":                                       "Primary key filtering must specify columns in schema order",
	"UPDATE/UNKNOWN_TABLE_COLUMNS":                                            "Columns in the update are not defined in the table schema",
	"UPDATE/INVALID_UPDATE_COLUMN_VALUES":                                     "Column value in update clause is not valid",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATOR":                                      "Update operator is not supported by target columns",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATOR_FOR_DOC_ID":                           "Update operators cannot be used on _id field",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATOR_FOR_LEXICAL":                          "Update operator cannot be used on $lexical field",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATOR_FOR_VECTOR":                           "Update operator cannot be used on $vector field",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATOR_FOR_VECTORIZE":                        "Update operator cannot be used on $vectorize field",
	"UPDATE/INVALID_PUSH_OPERATOR_USAGE":                                      "The command has invalid usage of $push operator",
	"UPDATE/UNSUPPORTED_UPDATE_DATA_TYPE":                                     "Unsupported update data type",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATION":                                     "Unsupported update operation",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATION_MODIFIER":                            "Unsupported update operation modifier",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATION_PARAM":                               "Unsupported update operation parameter",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATION_PATH":                                "Unsupported update operation path",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATION_TARGET":                              "Unsupported update operation target",
	"UPDATE/UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS":                       "Primary key columns cannot be updated",
	"UPDATE/MISSING_UPDATE_OPERATIONS":                                        "Update operation requires at least one operation",
	"UPDATE/UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE":                          "Update operation not supported by tables",
	"UPDATE/UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS":                        "Columns cannot be changed by multiple update operations",
	"UPDATE/UNSUPPORTED_VECTORIZE_WHEN_MISSING_VECTORIZE_DEFINITION":          "Vectorize requires a column with vectorize definition",
	"UPDATE/UNSUPPORTED_COLUMN_TYPES":                                         "Column types in update clause are not supported",
	"WARNING/MISSING_INDEX":                                                   "Filter includes columns that are not indexed",
	"WARNING/NOT_EQUALS_UNSUPPORTED_BY_INDEXING":                              "Use of $ne (not equals) on indexed columns",
	"WARNING/COMPARISON_FILTER_UNSUPPORTED_BY_INDEXING":                       "Use of $lt, $gt, $lte, $gte (comparison filter) on indexed columns",
	"WARNING/NOT_IN_FILTER_UNSUPPORTED_BY_INDEXING":                           "Use of $nin on indexed columns",
	"WARNING/ZERO_FILTER_OPERATIONS":                                          "Zero operations provided in query filter",
	"WARNING/INCOMPLETE_PRIMARY_KEY_FILTER":                                   "Incomplete filter on table primary key",
	"WARNING/DEPRECATED_COMMAND":                                              "Deprecated command",
	"WARNING/QUERY_RETRIED_DUE_TO_INDEXING":                                   "Query was retried due lack of primary or index usage",
	"WARNING/IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING":                  "Sorting by non partition sorting columns",
	"WARNING/IN_MEMORY_SORTING_DUE_SKIP_OPTIONS":                              "Sorting uses skip option, performing as in memory sort",
	"WARNING/IN_MEMORY_SORTING_DUE_TO_PARTITION_KEY_NOT_RESTRICTED":           "Sorting with partition key not restricted correctly in filter clause",
	"WARNING/IN_MEMORY_SORTING_DUE_TO_MISSING_PARTITION_SORTING":              "Sorting with missing partition sorting columns",
	"WARNING/IN_MEMORY_SORTING_DUE_TO_OUT_OF_ORDER_PARTITION_SORTING":         "Sorting on out of order partition sorting columns",
	"PROJECTION/UNSUPPORTED_COLUMN_TYPES":                                     "Column types in projection are not supported",
	"PROJECTION/UNSUPPORTED_PROJECTION_DEFINITION":                            "Unsupported projection definition",
	"PROJECTION/UNSUPPORTED_PROJECTION_PARAM":                                 "Unsupported projection parameter",
	"PROJECTION/UNKNOWN_TABLE_COLUMNS":                                        "Columns in the projection are not defined in the table schema",
	"SCHEMA/CANNOT_ADD_EXISTING_COLUMNS":                                      "Columns with the same name are defined in the table schema",
	"SCHEMA/CANNOT_ADD_EXISTING_FIELD":                                        "Field with the same name are defined in the type definition",
	"SCHEMA/CANNOT_ADD_PREVIOUSLY_DROPPED_COLUMN":                             "Column cannot be re-added with a different type",
	"SCHEMA/CANNOT_ANALYZE_ENTRIES_ON_MAP_COLUMNS":                            "Can not create index on map column with index function entries and specify analyze options",
	"SCHEMA/CANNOT_DROP_PRIMARY_KEY_COLUMNS":                                  "Primary key columns cannot be dropped from the table schema",
	"SCHEMA/CANNOT_DROP_TYPE_USED_BY_TABLE":                                   "Type cannot be dropped if used by tables",
	"SCHEMA/CANNOT_DROP_UNKNOWN_COLUMNS":                                      "Columns cannot be dropped if they are not defined in the table schema",
	"SCHEMA/CANNOT_DROP_INDEXED_COLUMNS":                                      "Columns used in the indexes cannot be dropped",
	"SCHEMA/CANNOT_RENAME_UNKNOWN_TYPE_FIELD":                                 "Field cannot be renamed if it is not defined in the type",
	"SCHEMA/CANNOT_VECTORIZE_UNKNOWN_COLUMNS":                                 "Columns cannot be vectorized if they are not defined in the table schema",
	"SCHEMA/CANNOT_DROP_VECTORIZE_FROM_UNKNOWN_COLUMNS":                       "Vectorize configuration cannot be dropped from columns if they are not defined in the table schema",
	"SCHEMA/CANNOT_VECTORIZE_NON_VECTOR_COLUMNS":                              "Columns cannot be vectorized if they are not `vector` type",
	"SCHEMA/DEPRECATED_AI_MODEL":                                              "Cannot use deprecated model.",
	"SCHEMA/EMBEDDING_SERVICE_NOT_CONFIGURED":                                 "Embedding service not configured for collection",
	"SCHEMA/END_OF_LIFE_AI_MODEL":                                             "Cannot use end of life model.",
	"SCHEMA/EXISTING_COLLECTION_DIFFERENT_SETTINGS":                           "Collection already exists with different settings",
	"SCHEMA/EXISTING_TABLE_NOT_DATA_API_COLLECTION":                           "Existing table not a valid Data API collection",
	"SCHEMA/CANNOT_DROP_VECTORIZE_FROM_NON_VECTOR_COLUMNS":                    "Vectorize configuration cannot be dropped from columns if they are not `vector` type",
	"SCHEMA/INVALID_CREATE_COLLECTION_OPTIONS":                                "Invalid options for createCollection",
	"SCHEMA/INVALID_INDEXING_DEFINITION":                                      "Invalid indexing definition",
	"SCHEMA/INVALID_USAGE_OF_VECTORIZE":                                       "Invalid use of '$vector' and '$vectorize'",
	"SCHEMA/LEXICAL_FEATURE_NOT_ENABLED":                                      "Lexical search is not available on this database",
	"SCHEMA/LEXICAL_NOT_ENABLED_FOR_COLLECTION":                               "Lexical search is not enabled for the collection",
	"SCHEMA/MISSING_PARTITION_COLUMNS":                                        "Partitioning keys are required for tables",
	"SCHEMA/MISSING_ALTER_TABLE_OPERATIONS":                                   "Alter table command must include operations",
	"SCHEMA/MISSING_ALTER_TYPE_OPERATIONS":                                    "Alter type command must include operations",
	"SCHEMA/MISSING_DIMENSION_IN_VECTOR_COLUMN":                               "Dimension is required for vector column if embedding service is not specified",
	"SCHEMA/MISSING_FIELDS_FOR_TYPE_CREATION":                                 "At least one field is required for type creation",
	"SCHEMA/MCP_FEATURE_NOT_ENABLED":                                          "MCP feature not enabled",
	"SCHEMA/RERANKING_FEATURE_NOT_ENABLED":                                    "Reranking feature not enabled",
	"SCHEMA/RERANKING_SERVICE_TYPE_UNAVAILABLE":                               "Reranking service type unavailable",
	"SCHEMA/RERANKING_PROVIDER_UNEXPECTED_RESPONSE":                           "Unexpected response from reranking provider",
	"SCHEMA/RERANKING_PROVIDER_CLIENT_ERROR":                                  "Reranking provider client error",
	"SCHEMA/RERANKING_PROVIDER_SERVER_ERROR":                                  "Reranking provider server error",
	"SCHEMA/RERANKING_PROVIDER_RATE_LIMITED":                                  "Reranking provider rate-limited",
	"SCHEMA/RERANKING_PROVIDER_AUTHENTICATION_KEY_NOT_PROVIDED":               "Reranking provider has no authentication key",
	"SCHEMA/TOO_MANY_COLLECTIONS":                                             "Too many collections",
	"SCHEMA/UNKNOWN_DATA_TYPE":                                                "Data type is unknown",
	"SCHEMA/UNKNOWN_KEYSPACE":                                                 "Keyspace does not exist in the Database",
	"SCHEMA/UNKNOWN_COLLECTION_OR_TABLE":                                      "Collection or Table does not exist in the Keyspace",
	"SCHEMA/UNKNOWN_PARTITION_SORT_COLUMNS":                                   "Partition sort columns are not defined in the table schema",
	"SCHEMA/UNKNOWN_PARTITION_COLUMNS":                                        "Partition columns are not defined in the table schema",
	"SCHEMA/UNKNOWN_USER_DEFINED_TYPE":                                        "User defined type is unknown",
	"SCHEMA/UNKNOWN_PRIMITIVE_DATA_TYPE":                                      "Primitive data type is unknown",
	"SCHEMA/UNSUPPORTED_DATA_TYPE_TABLE_CREATION":                             "Table creation with unsupported data types",
	"SCHEMA/UNSUPPORTED_MAP_DEFINITION":                                       "Map definition contains unsupported data types",
	"SCHEMA/UNSUPPORTED_LIST_DEFINITION":                                      "List definition contains unsupported data types",
	"SCHEMA/UNSUPPORTED_SCHEMA_NAME":                                          "The used schema name is not supported",
	"SCHEMA/UNSUPPORTED_SET_DEFINITION":                                       "Set definition contains unsupported data types",
	"SCHEMA/UNSUPPORTED_TYPE_FIELDS":                                          "Type definition contains unsupported fields.",
	"SCHEMA/UNSUPPORTED_VECTOR_DIMENSION":                                     "Vector definition contains unsupported dimension",
	"SCHEMA/UNKNOWN_INDEX_COLUMN":                                             "Index column is not defined in the table schema",
	"SCHEMA/UNKNOWN_INDEX_TYPE":                                               "Index type is unknown",
	"SCHEMA/UNSUPPORTED_INDEXING_FOR_DATA_TYPES":                              "Indexing not supported by data types",
	"SCHEMA/UNSUPPORTED_INDEXING_FOR_FROZEN_COLUMN":                           "Index creation on a frozen column is not supported",
	"SCHEMA/UNSUPPORTED_INDEX_TYPE":                                           "Index type is not supported",
	"SCHEMA/UNSUPPORTED_JSON_TYPE_FOR_TEXT_INDEX":                             "JSON value type is not supported for creating text index",
	"SCHEMA/UNSUPPORTED_TEXT_ANALYSIS_FOR_DATA_TYPES":                         "Analysed text index not supported by data types",
	"SCHEMA/UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES":                            "Text index not supported by data types",
	"SCHEMA/UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES":                          "Vector index not supported by data types",
	"SCHEMA/UNKNOWN_VECTOR_SOURCE_MODEL":                                      "Vector source model is unknown",
	"SCHEMA/UNKNOWN_VECTOR_METRIC":                                            "Vector metric is unknown",
	"SCHEMA/VECTOR_SEARCH_NOT_SUPPORTED":                                      "Vector search not enabled for collection",
	"SCHEMA/VECTOR_SEARCH_TOO_BIG_VALUE":                                      "Vector embedding property too big",
	"SCHEMA/VECTOR_SEARCH_UNKNOWN_FUNCTION_NAME":                              "Unknown vector search function name",
	"SCHEMA/VECTOR_SEARCH_UNRECOGNIZED_SOURCE_MODEL_NAME":                     "Unrecognized vector search source model name",
	"SCHEMA/VECTORIZE_CREDENTIAL_INVALID":                                     "Invalid credential name for vectorize",
	"SCHEMA/VECTORIZE_FEATURE_NOT_AVAILABLE":                                  "Vectorize feature not available",
	"SCHEMA/CANNOT_DROP_UNKNOWN_INDEX":                                        "Dropped index is not defined in the keyspace schema",
	"SCHEMA/CANNOT_DROP_UNKNOWN_TABLE":                                        "Dropped table is not defined in the keyspace schema",
	"SCHEMA/CANNOT_DROP_UNKNOWN_TYPE":                                         "Dropped type is not defined in the keyspace schema",
	"SCHEMA/CANNOT_ADD_EXISTING_TABLE":                                        "Table with the same name exists in the keyspace schema",
	"SCHEMA/CANNOT_ADD_EXISTING_TYPE":                                         "Type with the same name exists in the keyspace schema",
	"SCHEMA/CANNOT_ADD_UNSUPPORTED_DATA_TYPE_COLUMNS":                         "Alter table trying to add columns with unsupported data type",
	"SCHEMA/CANNOT_ADD_EXISTING_INDEX":                                        "Index with the same name exists in the keyspace schema",
	"SCHEMA/INVALID_INDEX_DEFINITION":                                         "Provided index configuration is not valid.",
	"SCHEMA/INVALID_KEYSPACE":                                                 "Keyspace used is not valid.",
	"SCHEMA/COLUMN_TYPE_INCORRECT":                                            "Column data type not provided or format invalid in the definition",
	"SCHEMA/PRIMARY_KEY_DEFINITION_INCORRECT":                                 "Primary key definition provided is incorrect.",
	"SCHEMA/INVALID_FORMAT_FOR_INDEX_CREATION_COLUMN":                         "Unable to create index, format for index creation column is invalid.",
	"SCHEMA/INVALID_USER_DEFINED_TYPE_NAME":                                   "User defined type name is not valid.",
	"SCHEMA/INVALID_VECTORIZE_FIELD_CONFIGURATION":                            "Unable to parse vectorize configuration for table, field schema invalid.",
	"SCHEMA/INVALID_VECTORIZE_TABLE_CONFIGURATION":                            "Unable to parse vectorize configuration for table.",
	"SCHEMA/COLUMN_NOT_FOUND":                                                 "Column doesn't exist in the table.",
	"SCHEMA/TOO_MANY_INDEXES_FOR_COLLECTION":                                  "Cannot create collection due to number of existing indexes",
	"SCHEMA/EXISTING_INDEX_FOR_COLLECTION":                                    "Cannot create collection due to existing index with conflicting name",
	"SORT/CANNOT_LEXICAL_SORT_NON_INDEXED_COLUMNS":                            "Lexical sort cannot be used for non-indexed columns",
	"SORT/CANNOT_LEXICAL_SORT_WITH_SKIP_OPTION":                               "Skip option cannot be used with lexical sort",
	"SORT/CANNOT_SORT_ON_MULTIPLE_VECTORS":                                    "More than one vector sort provided",
	"SORT/CANNOT_SORT_ON_MULTIPLE_VECTORIZE":                                  "More than one vectorize sort provided",
	"SORT/CANNOT_SORT_ON_SPECIAL_WITH_OTHERS":                                 "Special sort combined with other sort expressions",
	"SORT/CANNOT_SORT_UNKNOWN_COLUMNS":                                        "Sorted columns are not defined in the table schema",
	"SORT/OVERLOADED_SORT_ROW_LIMIT":                                          "Sort aborted due to in-memory sort restriction",
	"SORT/CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS":                              "Vector sort columns are not `vector` type",
	"SORT/CANNOT_VECTORIZE_SORT_NON_VECTOR_COLUMN":                            "Vectorize sort columns are not `vector` type",
	"SORT/CANNOT_VECTORIZE_SORT_WHEN_MISSING_VECTORIZE_DEFINITION":            "Vectorize sort not supported on column with missing vectorize configuration",
	"SORT/CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX":                          "Limit exceeds the maximum allowed for vector sort",
	"SORT/CANNOT_VECTOR_SORT_WITH_SKIP_OPTION":                                "Skip option cannot be used with  vector sort",
	"SORT/CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS":                      "Vector sort cannot be used for non indexed vector columns",
	"SORT/CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS":                          "Vector sort cannot be used with non vector sorting",
	"SORT/CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS":                 "Vector sort cannot be used with mismatched vector dimensions",
	"SORT/INVALID_REGULAR_SORT_EXPRESSION":                                    "Sort expression is not valid for regular sort",
	"SORT/INVALID_VECTOR_SORT_EXPRESSION":                                     "Sort expression is not valid for vector/vectorize sort",
	"SORT/SORT_CLAUSE_INVALID":                                                "Sort clause used by command not valid",
	"SORT/SORT_CLAUSE_PATH_INVALID":                                           "Path used in sort clause not valid",
	"SORT/SORT_CLAUSE_PATH_UNINDEXED":                                         "Collection field used in sort clause not indexed",
	"SORT/SORT_CLAUSE_VALUE_INVALID":                                          "Value used for sort expression not valid",
	"SORT/UNSUPPORTED_SORT_FOR_TABLE_DELETE_COMMAND":                          "Sorting not supported by delete command on tables",
	"SORT/UNSUPPORTED_SORT_FOR_TABLE_UPDATE_COMMAND":                          "Sorting not supported by update command on tables",
	"SORT/UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING":                      "Pagination not supported when using in-memory sorting",
	"SORT/UNSUPPORTED_VECTOR_SORT_FOR_COLLECTION":                             "Vector sorting not supported by the collection",
	"SORT/UNSUPPORTED_VECTORIZE_SORT_FOR_COLLECTION":                          "Vectorize sorting not supported by the collection",
	"/INTERNAL_SERVER_ERROR":                                                  "Internal server error",
	"/UNEXPECTED_SERVER_ERROR":                                                "Unexpected server error",
	"DATABASE/CORRUPTED_COLLECTION_SCHEMA":                                    "Corrupted collection schema",
	"DATABASE/COLLECTION_NO_INDEX_ERROR":                                      "Collection missing index(es)",
	"DATABASE/COLLECTION_SCHEMA_VERSION_INVALID":                              "Collection schema version invalid",
	"DATABASE/COUNT_READ_FAILED":                                              "Count read failed",
	"DATABASE/DOCUMENT_FROM_DB_UNPARSEABLE":                                   "Unable to parse JSON content",
	"DATABASE/FAILED_CONCURRENT_OPERATIONS":                                   "Failed to complete concurrent operations on the database",
	"DATABASE/FAILED_TO_CONNECT_TO_DATABASE":                                  "Data API Failed to connect to the database",
	"DATABASE/FAILED_TO_READ_METADATA":                                        "Data API Failed to read database metadata",
	"DATABASE/INVALID_COLLECTION_QUERY":                                       "Invalid query",
	"DATABASE/UNEXPECTED_DOCUMENT_ID_TYPE":                                    "Unexpected stored document id type",
	"DATABASE/UNEXPECTED_DRIVER_ERROR":                                        "Unexpected driver error",
	"DATABASE/UNKNOWN_KEYSPACE":                                               "Unknown keyspace",
	"DATABASE/INVALID_DATABASE_QUERY":                                         "Invalid database query",
	"DATABASE/UNSUPPORTED_DATABASE_QUERY":                                     "Unsupported database query",
	"DATABASE/FAILED_COMPARE_AND_SET":                                         "Failed database Compare and Set operation",
	"DATABASE/FAILED_TRUNCATION":                                              "Failed database Truncate operation",
	"DATABASE/UNAVAILABLE_DATABASE":                                           "The database is unavailable",
	"DATABASE/FAILED_READ_REQUEST":                                            "Failed database request",
	"DATABASE/FAILED_WRITE_REQUEST":                                           "Failed database request",
	"DATABASE/TIMEOUT_READING_DATA":                                           "Timeout reading data from the database",
	"DATABASE/TIMEOUT_WRITING_DATA":                                           "Timeout writing data to the database",
	"EMBEDDING_PROVIDER/EMBEDDING_GATEWAY_NOT_AVAILABLE":                      "Embedding Gateway not available",
	"EMBEDDING_PROVIDER/EMBEDDING_GATEWAY_REQUEST_PROCESSING_ERROR":           "Embedding Gateway failed to process request",
	"EMBEDDING_PROVIDER/EMBEDDING_GATEWAY_RATE_LIMITED":                       "Embedding Gateway rate limited the request",
	"EMBEDDING_PROVIDER/EMBEDDING_GATEWAY_UNABLE_RESOLVE_AUTHENTICATION_TYPE": "Embedding Gateway unable to resolve authentication type",
	"EMBEDDING_PROVIDER/EMBEDDING_GATEWAY_UNEXPECTED_RESPONSE":                "Embedding Gateway returned an unexpected response.",
	"EMBEDDING_PROVIDER/EMBEDDING_REQUEST_ENCODING_ERROR":                     "Embedding request encoding failure",
	"EMBEDDING_PROVIDER/EMBEDDING_RESPONSE_DECODING_ERROR":                    "Embedding request response decoding failure",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_BAD_HOST_NAME":                     "Bad parameter(s) cause bad provider URL",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_AUTHENTICATION_KEYS_NOT_PROVIDED":  "Authentication header(s) missing from embedding request",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_CLIENT_ERROR":                      "The Embedding Provider returned a HTTP client error",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_RATE_LIMITED":                      "Embedding provider rate limited the request",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_SERVER_ERROR":                      "The Embedding Provider returned a HTTP server error",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_TIMEOUT":                           "The Embedding Provider request timed out",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_UNAVAILABLE":                       "The Embedding Provider is unavailable",
	"EMBEDDING_PROVIDER/EMBEDDING_PROVIDER_UNEXPECTED_RESPONSE":               "The Embedding Provider returned an unexpected response",
	"RERANKING_PROVIDER/RERANKING_PROVIDER_TIMEOUT":                           "Reranking Provider timed out",
}
