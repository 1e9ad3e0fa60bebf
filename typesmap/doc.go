// Package typesmap describes Data API column types and maps column values
// between their wire JSON and Go values, in both directions.
//
// It knows no SQL and does no I/O: the dataapi client uses it to decode
// pages of rows, the planner to check and encode parameters.
//
// # Types
//
// A Type is a column type as the server reports it (Kind plus parameters);
// Type.String gives CQL syntax, ParseCQL reads it, and MarshalJSON and
// UnmarshalJSON are the Data API descriptor forms. Kind constants are named
// after the kind (Text, Int, Timestamp...) except where the name belongs to
// a Go value type: KindDuration, KindList, KindSet, KindMap, KindVector.
//
// # Decoded values
//
// RowDecoder and DecodeValue produce, per column type (a null or absent
// column is nil):
//
//	text, ascii                  string
//	boolean                      bool
//	tinyint, smallint, int,
//	bigint, counter              int64
//	varint                       *big.Int
//	decimal                      string, exact digits in plain notation ("1000" for 1E+3)
//	float, double                float64 (NaN and ±Inf kept; a float is its exact float32 value)
//	timestamp                    time.Time in UTC
//	date                         time.Time at 00:00 UTC, any year
//	time                         TimeOfDay
//	duration                     Duration
//	uuid, timeuuid               uuid.UUID
//	inet                         netip.Addr
//	blob                         []byte
//	vector                       Vector
//	list, set                    List, Set (elements as above)
//	map                          Map (entries in server order)
//	userDefined                  UDT (fields in server order)
//	UNSUPPORTED, unknown kinds   by JSON type (see DecodeJSON)
//
// Decoding accepts both current and older server shapes: maps as objects
// or [key, value] pairs whatever the key type, vectors as arrays or
// {"$binary"}, float specials as strings, decimals in E notation,
// timestamps with or without fraction and with offsets or {"$date"}.
//
// # Encoded values
//
// AppendValue and AppendColumnValue take, besides nil, pointers and any
// driver.Valuer (sql.Null* ...), for each column type:
//
//	text, ascii       string, []byte (valid UTF-8; ascii checked)
//	boolean           bool
//	integer kinds     any Go integer, *big.Int (range checked)
//	varint            any Go integer, *big.Int, string of digits
//	decimal           any Go integer, *big.Int, *big.Float, *big.Rat (exact only),
//	                  float32/float64 (shortest form; no NaN/Inf), decimal string
//	float, double     float32, float64, Go integers, numeric strings; NaN and
//	                  ±Inf sent as "NaN", "Infinity", "-Infinity"; float overflow refused
//	timestamp         time.Time, RFC 3339 string (sent in UTC with milliseconds)
//	date              time.Time (its civil date), "[+-]YYYY-MM-DD"
//	time              TimeOfDay, time.Duration, "HH:MM[:SS[.f]]"
//	duration          Duration, time.Duration, ISO 8601 or CQL ("1h30m") string
//	uuid, timeuuid    uuid.UUID, [16]byte, string (timeuuid must be version 1)
//	inet              netip.Addr, net.IP, address literal string (never resolved)
//	blob              []byte
//	vector            Vector, []float32, []float64, List of numbers, []byte of
//	                  big-endian float32s; sent as {"$binary"}; the length must
//	                  equal the dimension; a string only for vectorize columns
//	list, set         List, Set, any Go slice or array, JSON text
//	map               Map, any Go map (sorted by key), JSON text; an object for
//	                  text and ascii keys, [key, value] pairs otherwise
//	userDefined       UDT, Map, Go map with string keys, JSON text
//
// Failures are *ValueError values that name the column, its type and the
// problem, with long values cut short.
//
// The value types' driver.Valuer forms are accepted back by AppendValue
// for their column type: Vector gives []byte (big-endian float32s),
// Duration and TimeOfDay give strings, List, Set, Map and UDT give JSON
// text (strings).
package typesmap
