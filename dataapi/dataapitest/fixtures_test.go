package dataapitest

const ksPath = "/v1/default_keyspace"

// fixtures are named setup scripts for conformance cases.
var fixtures = map[string][]confReq{
	"all_types": {
		{ksPath, `{"createTable":{"name":"all_types","definition":{"columns":{
			"id":"text","c_ascii":"ascii","c_bigint":"bigint","c_blob":"blob","c_boolean":"boolean",
			"c_date":"date","c_decimal":"decimal","c_double":"double","c_duration":"duration",
			"c_float":"float","c_inet":"inet","c_int":"int","c_smallint":"smallint","c_text":"text",
			"c_time":"time","c_timestamp":"timestamp","c_tinyint":"tinyint","c_uuid":"uuid","c_varint":"varint",
			"c_vector":{"type":"vector","dimension":3},
			"c_list":{"type":"list","valueType":"text"},"c_set":{"type":"set","valueType":"int"},
			"c_map":{"type":"map","keyType":"text","valueType":"int"},
			"c_map_int":{"type":"map","keyType":"int","valueType":"text"}},
			"primaryKey":"id"}}}`},
	},
	"people": {
		{ksPath, `{"createTable":{"name":"people","definition":{"columns":{
			"id":"text","name":"text","age":"int","city":"text","active":"boolean",
			"tags":{"type":"set","valueType":"text"},"scores":{"type":"map","keyType":"text","valueType":"int"},
			"v":{"type":"vector","dimension":3}},"primaryKey":"id"}}}`},
		{ksPath + "/people", `{"createIndex":{"name":"people_age","definition":{"column":"age"}}}`},
		{ksPath + "/people", `{"createIndex":{"name":"people_city","definition":{"column":"city"}}}`},
		{ksPath + "/people", `{"createVectorIndex":{"name":"people_v","definition":{"column":"v","options":{"metric":"cosine"}}}}`},
		{ksPath + "/people", `{"insertMany":{"documents":[
			{"id":"p1","name":"Ann","age":31,"city":"Paris","active":true,"tags":["a","b"],"scores":{"x":1},"v":[1,0,0]},
			{"id":"p2","name":"Bob","age":25,"city":"Oslo","active":false,"tags":["b"],"scores":{"y":2},"v":[0,1,0]},
			{"id":"p3","name":"Cid","age":40,"city":"Paris","tags":["c"],"v":[0.7,0.7,0]},
			{"id":"p4","name":"Dee","age":25,"city":"Rome","active":true,"v":[0,0,1]}]}}`},
	},
	"events": {
		{ksPath, `{"createTable":{"name":"events","definition":{"columns":{
			"tenant":"text","day":"int","seq":"int","msg":"text","n":"int"},
			"primaryKey":{"partitionBy":["tenant"],"partitionSort":{"day":-1,"seq":1}}}}}`},
		{ksPath + "/events", `{"insertMany":{"documents":[
			{"tenant":"a","day":1,"seq":1,"msg":"a11","n":1},{"tenant":"a","day":1,"seq":2,"msg":"a12","n":2},
			{"tenant":"a","day":2,"seq":1,"msg":"a21","n":3},{"tenant":"a","day":3,"seq":5,"msg":"a35","n":4},
			{"tenant":"b","day":1,"seq":1,"msg":"b11","n":5},{"tenant":"b","day":2,"seq":1,"msg":"b21","n":6}]}}`},
	},
	"kv": {
		{ksPath, `{"createTable":{"name":"kv","definition":{"columns":{"k":"int","v":"text"},"primaryKey":"k"}}}`},
	},
	"coll": {
		{ksPath, `{"createCollection":{"name":"coll"}}`},
	},
	"udt": {
		{ksPath, `{"createType":{"name":"address","definition":{"fields":{"city":"text","zip":"int"}}}}`},
		{ksPath, `{"createTable":{"name":"homes","definition":{"columns":{"id":"int","addr":{"type":"userDefined","udtName":"address"},
			"past":{"type":"list","valueType":{"type":"userDefined","udtName":"address"}}},"primaryKey":"id"}}}`},
	},
	"analysed": {
		{ksPath, `{"createTable":{"name":"words","definition":{"columns":{"id":"int","s":"text","s2":"text","s3":"text","plain":"text",
			"tags":{"type":"set","valueType":"text"},"m":{"type":"map","keyType":"text","valueType":"text"}},"primaryKey":"id"}}}`},
		{ksPath + "/words", `{"createIndex":{"name":"w_s","definition":{"column":"s","options":{"caseSensitive":false}}}}`},
		{ksPath + "/words", `{"createIndex":{"name":"w_s2","definition":{"column":"s2","options":{"ascii":true}}}}`},
		{ksPath + "/words", `{"createIndex":{"name":"w_s3","definition":{"column":"s3","options":{"normalize":true}}}}`},
		{ksPath + "/words", `{"createIndex":{"name":"w_tags","definition":{"column":"tags","options":{"caseSensitive":false}}}}`},
		{ksPath + "/words", `{"createIndex":{"name":"w_mk","definition":{"column":{"m":"$keys"},"options":{"ascii":true,"caseSensitive":false}}}}`},
		{ksPath + "/words", `{"insertMany":{"documents":[
			{"id":1,"s":"Hello","s2":"Crème Brûlée","s3":"Cafe\u0301","plain":"Hello","tags":["Red","Blue"],"m":{"Ñandú":"bird"}},
			{"id":2,"s":"other","s2":"Creme","s3":"Café","plain":"x","tags":["green"],"m":{"emu":"bird"}}]}}`},
	},
	"vectorize": {
		{ksPath, `{"createTable":{"name":"docs","definition":{"columns":{"id":"int","body":"text",
			"emb":{"type":"vector","dimension":4,"service":{"provider":"openai","modelName":"text-embedding-3-small"}}},"primaryKey":"id"}}}`},
		{ksPath + "/docs", `{"createVectorIndex":{"name":"docs_emb","definition":{"column":"emb"}}}`},
	},
}
