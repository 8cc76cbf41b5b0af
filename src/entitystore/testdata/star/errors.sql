-- dimension without metadata
measure group Sales references dimension Customer (as Buyer), but the package has no metadata for it (dimensions\CUSTOMER.json or AxAggregateDimension/Customer.xml)

-- relation without constraints
measure group Sales, dimension reference Customer has no relation constraints, so facts cannot be joined to it

-- key attribute without key fields
key attribute Customer of dimension Customer has no key fields

-- relation field count differs from the key field count
measure group Sales, dimension reference Buyer relates 1 field(s), but the key of dimension Customer has 2
