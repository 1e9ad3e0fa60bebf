package dataapitest

import (
	"strings"
)

var (
	generalCommands  = []string{"createKeyspace", "dropKeyspace", "findKeyspaces", "findEmbeddingProviders", "findRerankingProviders", "createNamespace", "dropNamespace", "findNamespaces"}
	keyspaceCommands = []string{"createTable", "dropTable", "listTables", "dropIndex", "createType", "alterType", "dropType", "listTypes", "createCollection", "findCollections", "deleteCollection"}
	tableCommands    = []string{"insertOne", "insertMany", "find", "findOne", "updateOne", "deleteOne", "deleteMany", "alterTable", "createIndex", "createVectorIndex", "createTextIndex", "listIndexes"}
	collectionOnly   = []string{"countDocuments", "estimatedDocumentCount", "findAndRerank", "updateMany", "findOneAndUpdate", "findOneAndReplace", "findOneAndDelete", "replaceOne"}
	tableOnly        = []string{"alterTable", "createIndex", "createVectorIndex", "createTextIndex", "listIndexes"}
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func unknownCommand(cmd, kind string, known []string) *result {
	return errResult(newErr("", "COMMAND_UNKNOWN", "Command '%s' is not a %s recognized by Data API.\n\nData API supports following %ss: %s.\n\nResend using one of the supported commands.", cmd, kind, kind, strings.Join(known, ", ")))
}

func unknownKeyspace(name string) *result {
	return errResult(newErr("SCHEMA", "UNKNOWN_KEYSPACE", "The keyspace '%s' does not exist in the database.", name))
}

func (h *Handler) dispatch(req *request) *result {
	switch {
	case req.keyspace == "":
		if !contains(generalCommands, req.command) {
			return unknownCommand(req.command, "General Command", generalCommands)
		}
		return h.general(req)
	case req.table == "":
		if !contains(keyspaceCommands, req.command) {
			return unknownCommand(req.command, "Keyspace Command", keyspaceCommands)
		}
		return h.keyspaceCommand(req)
	}
	if !contains(tableCommands, req.command) && !contains(collectionOnly, req.command) {
		return unknownCommand(req.command, "Collection Command", append(append([]string{}, tableCommands...), collectionOnly...))
	}
	return h.tableCommand(req)
}

func (h *Handler) general(req *request) *result {
	switch req.command {
	case "findKeyspaces", "findNamespaces":
		h.mu.RLock()
		defer h.mu.RUnlock()
		key := "keyspaces"
		if req.command == "findNamespaces" {
			key = "namespaces"
		}
		r := h.findKeyspaces(req, key)
		return deprecated(req, r)
	case "findEmbeddingProviders":
		return h.findEmbeddingProviders(req)
	case "findRerankingProviders":
		r := &result{}
		r.addStatus("rerankingProviders", jObj())
		return r
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var r *result
	switch req.command {
	case "createKeyspace", "createNamespace":
		r = h.createKeyspace(req)
	default:
		r = h.dropKeyspace(req)
	}
	return deprecated(req, r)
}

func deprecated(req *request, r *result) *result {
	repl := map[string]string{"createNamespace": "createKeyspace", "dropNamespace": "dropKeyspace", "findNamespaces": "findKeyspaces"}[req.command]
	if repl != "" {
		r.warnings = append(r.warnings, warning("DEPRECATED_COMMAND", "The command '%s' is deprecated and will be removed in a future release; use '%s' instead.", req.command, repl))
	}
	return r
}

func (h *Handler) keyspaceCommand(req *request) *result {
	switch req.command {
	case "listTables", "listTypes", "findCollections":
		h.mu.RLock()
		defer h.mu.RUnlock()
	default:
		h.mu.Lock()
		defer h.mu.Unlock()
	}
	ks := h.keyspaces[req.keyspace]
	if ks == nil {
		return unknownKeyspace(req.keyspace)
	}
	switch req.command {
	case "createTable":
		return h.createTable(req, ks)
	case "dropTable":
		return h.dropTable(req, ks)
	case "listTables":
		return h.listTables(req, ks)
	case "dropIndex":
		return h.dropIndex(req, ks)
	case "createType":
		return h.createType(req, ks)
	case "alterType":
		return h.alterType(req, ks)
	case "dropType":
		return h.dropType(req, ks)
	case "listTypes":
		return h.listTypes(req, ks)
	case "createCollection":
		return h.createCollection(req, ks)
	case "findCollections":
		return h.findCollections(req, ks)
	case "deleteCollection":
		return h.deleteCollection(req, ks)
	}
	return unknownCommand(req.command, "Keyspace Command", keyspaceCommands)
}

func (h *Handler) tableCommand(req *request) *result {
	switch req.command {
	case "alterTable", "createIndex", "createVectorIndex", "createTextIndex":
		h.mu.Lock()
		defer h.mu.Unlock()
	default:
		h.mu.RLock()
		defer h.mu.RUnlock()
	}
	ks := h.keyspaces[req.keyspace]
	if ks == nil {
		return unknownKeyspace(req.keyspace)
	}
	if c := ks.collections[req.table]; c != nil {
		return h.collectionCommand(req, c)
	}
	t := ks.tables[req.table]
	if t == nil {
		return errResult(newErr("SCHEMA", "UNKNOWN_COLLECTION_OR_TABLE", "The command tried to use a collection or table that does not exist in the keyspace.\n\nThe keyspace %s has the collections: %s.\nAnd has the tables: %s.\nThe command used the unknown collection or table: %s.", ks.name, nameList(sortedKeys(ks.collections)), nameList(sortedKeys(ks.tables)), req.table))
	}
	if contains(collectionOnly, req.command) {
		return errResult(newErr("", "UNSUPPORTED_TABLE_COMMAND", "The command %s is not supported by tables.\n\nThe tables support these commands: %s.\nThe collections support these commands: %s.\n\nThe command was used against the table: %s.%s.", req.command, strings.Join(tableCommands, ", "), strings.Join(append(append([]string{}, tableCommands[:7]...), collectionOnly...), ", "), ks.name, t.name))
	}
	switch req.command {
	case "alterTable":
		return h.alterTable(req, t)
	case "createIndex":
		return h.createIndex(req, t, "regular")
	case "createVectorIndex":
		return h.createIndex(req, t, "vector")
	case "createTextIndex":
		return h.createIndex(req, t, "text")
	case "listIndexes":
		return h.listIndexes(req, t)
	case "insertOne":
		return h.insertOne(req, t)
	case "insertMany":
		return h.insertMany(req, t)
	case "find":
		return h.find(req, t, false)
	case "findOne":
		return h.find(req, t, true)
	case "updateOne":
		return h.updateOne(req, t)
	case "deleteOne":
		return h.deleteOne(req, t)
	case "deleteMany":
		return h.deleteMany(req, t)
	}
	return unknownCommand(req.command, "Collection Command", tableCommands)
}
