package dataapitest

import (
	"math/big"
	"net/netip"

	"github.com/astrasql/astrasql/typesmap"
)

// Cassandra refuses a partition key that serialises to no bytes ("Key may
// not be empty") or to more than 65535 bytes, for writes (INSERT, UPDATE,
// DELETE) and for reads that name the partition. A single-column key is
// the column's bytes, so an empty text, ascii or blob key is refused. A
// composite key is serialised with, per component, a 2-byte length and an
// end-of-component byte: empty components are fine, and the limit counts
// those 3 extra bytes each. The real server passes the database's refusal
// on as INVALID_DATABASE_QUERY.
const maxPartitionKeyBytes = 65535

// partitionKeyError checks one partition key (values in partitionBy order).
func (t *table) partitionKeyError(pk []any) *apiError {
	n := 0
	for i, name := range t.partitionBy {
		sz := cqlSize(t.col(name).typ, pk[i])
		if len(t.partitionBy) > 1 {
			sz += 3
		}
		n += sz
	}
	switch {
	case n == 0:
		return t.databaseRefusal("Key may not be empty")
	case n > maxPartitionKeyBytes:
		return t.databaseRefusal("Key length of %d is longer than maximum of %d", n, maxPartitionKeyBytes)
	}
	return nil
}

// primaryKeyError checks the key of a row about to be written (INSERT,
// UPDATE, or a DELETE of one row): the partition key as above, and each
// clustering value, which may not pass 65535 bytes either (the database's
// message then gives the size of all clustering values together).
func (t *table) primaryKeyError(cells []cell) *apiError {
	_, _, pk, ck := t.keys(cellGetter(cells))
	if e := t.partitionKeyError(pk); e != nil {
		return e
	}
	total, over := 0, false
	for i, s := range t.clustering {
		n := cqlSize(t.col(s.Column).typ, ck[i])
		total += n
		over = over || n > maxPartitionKeyBytes
	}
	if over {
		return t.databaseRefusal("Key length of %d is longer than maximum of %d", total, maxPartitionKeyBytes)
	}
	return nil
}

// pinnedKeyError checks the partition keys a filter names.
func (t *table) pinnedKeyError(f *filter) *apiError {
	keys, ok := t.pinnedPartitions(f)
	if !ok {
		return nil
	}
	for _, k := range keys {
		if e := t.partitionKeyError(k); e != nil {
			return e
		}
	}
	return nil
}

func (t *table) databaseRefusal(format string, args ...any) *apiError {
	return serverErr("DATABASE", "INVALID_DATABASE_QUERY", "The database rejected the query on %s.%s as invalid: "+format+".", append([]any{t.ks.name, t.name}, args...)...)
}

// cqlSize is the length of a value in Cassandra's native serialisation.
// Collections and UDTs (never partition keys here) count as one byte.
func cqlSize(t typesmap.Type, v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return len(x)
	case blobVal:
		return len(x)
	case *big.Int:
		return varintSize(x)
	case decimal:
		return 4 + varintSize(x.unscaled)
	case netip.Addr:
		if x.Is4() {
			return 4
		}
		return 16
	case []float32:
		return 4 * len(x)
	}
	switch t.Kind {
	case typesmap.TinyInt, typesmap.Boolean:
		return 1
	case typesmap.SmallInt:
		return 2
	case typesmap.Int, typesmap.Float, typesmap.Date:
		return 4
	case typesmap.BigInt, typesmap.Counter, typesmap.Double, typesmap.Time, typesmap.Timestamp:
		return 8
	case typesmap.UUID, typesmap.TimeUUID:
		return 16
	}
	return 1
}

// varintSize is the length of BigInteger.toByteArray: minimal two's
// complement, at least one byte.
func varintSize(n *big.Int) int {
	if n == nil {
		return 1
	}
	if n.Sign() >= 0 {
		return n.BitLen()/8 + 1
	}
	m := new(big.Int).Neg(n)
	m.Sub(m, big.NewInt(1))
	return m.BitLen()/8 + 1
}
