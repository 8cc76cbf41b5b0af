-- unknown measure
unknown measure Revenue in measurement M; known: Sales.Amount, Sales.Lines, Sales.MinQty, Sales.MaxQty, Sales.AvgQty, Sales.Customers, Returns.Refund

-- unknown attribute
unknown attribute Customer.Colour for measure group Sales; known: Sales.REGION, Customer.CUSTOMER, Customer.COUNTRY, InvoiceDate.DATEKEY, InvoiceDate.DATE, InvoiceDate.DAY, InvoiceDate.DAYOFWEEK, InvoiceDate.DAYNAME, InvoiceDate.WEEK, InvoiceDate.MONTH, InvoiceDate.MONTHNAME, InvoiceDate.QUARTER, InvoiceDate.QUARTERNAME, InvoiceDate.YEAR, InvoiceDate.YEARMONTH, InvoiceDate.YEARQUARTER

-- unknown unqualified attribute
unknown attribute Colour; write Reference.Attribute, one of: Sales.REGION, Customer.CUSTOMER, Customer.COUNTRY, InvoiceDate.DATEKEY, InvoiceDate.DATE, InvoiceDate.DAY, InvoiceDate.DAYOFWEEK, InvoiceDate.DAYNAME, InvoiceDate.WEEK, InvoiceDate.MONTH, InvoiceDate.MONTHNAME, InvoiceDate.QUARTER, InvoiceDate.QUARTERNAME, InvoiceDate.YEAR, InvoiceDate.YEARMONTH, InvoiceDate.YEARQUARTER
