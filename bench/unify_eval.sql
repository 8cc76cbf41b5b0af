-- Accuracy of a clustering against the generator's truth (bench/unify.sh runs it, with the same text, for cdmlake
-- and for the Splink-style peer). @TRUTH@: Customers/_truth/customers_truth.csv (source,key,entity); @CLUSTERS@: a
-- CSV with the header source,key,cluster_id (for cdmlake: its AlternateKey table, TableName, AlternateValue,
-- CustomerId). A truth record missing from the clusters counts as a cluster of its own (as `cdmlake unify
-- evaluate` does); clustered records that are not in the truth are counted and left out.
--
-- Pairwise: precision = true pairs found / pairs put together, recall = true pairs found / true pairs, where a pair
-- is two records in one cluster (one entity). B-cubed: per record, precision = |its cluster ∩ its entity| / |its
-- cluster| and recall = |its cluster ∩ its entity| / |its entity|, averaged over the records.
WITH truth AS (
  SELECT source, key, entity FROM read_csv('@TRUTH@', header = true, all_varchar = true, auto_detect = false,
    columns = {'source': 'VARCHAR', 'key': 'VARCHAR', 'entity': 'VARCHAR'})
), clusters AS (
  SELECT source, key, cluster_id FROM read_csv('@CLUSTERS@', header = true, auto_detect = false,
    columns = {'source': 'VARCHAR', 'key': 'VARCHAR', 'cluster_id': 'VARCHAR'})
), joined AS (
  SELECT t.entity, coalesce(c.cluster_id, '~missing~' || t.source || '|' || t.key) AS cluster_id,
         c.cluster_id IS NULL AS missing
  FROM truth t LEFT JOIN clusters c USING (source, key)
), cells AS (
  SELECT entity, cluster_id, count(*)::DOUBLE AS n FROM joined GROUP BY ALL
), entity_sizes AS (
  SELECT entity, sum(n) AS n FROM cells GROUP BY ALL
), cluster_sizes AS (
  SELECT cluster_id, sum(n) AS n FROM cells GROUP BY ALL
), sums AS (
  SELECT
    (SELECT sum(n * (n - 1) / 2) FROM cells) AS tp,
    (SELECT sum(n * (n - 1) / 2) FROM cluster_sizes) AS predicted_pairs,
    (SELECT sum(n * (n - 1) / 2) FROM entity_sizes) AS true_pairs,
    (SELECT sum(c.n * c.n / k.n) FROM cells c JOIN cluster_sizes k USING (cluster_id)) AS bp,
    (SELECT sum(c.n * c.n / s.n) FROM cells c JOIN entity_sizes s USING (entity)) AS br,
    (SELECT sum(n) FROM cells) AS records,
    (SELECT count(*) FROM cluster_sizes) AS clusters,
    (SELECT count(*) FROM entity_sizes) AS entities,
    (SELECT count(*) FILTER (missing) FROM joined) AS missing,
    (SELECT count(*) FROM clusters c ANTI JOIN truth t USING (source, key)) AS extra
), metrics AS (
  SELECT *, tp / nullif(predicted_pairs, 0) AS pp, tp / nullif(true_pairs, 0) AS pr, bp / records AS bpp,
         br / records AS bpr
  FROM sums
)
SELECT records::BIGINT::VARCHAR AS records, entities::VARCHAR AS entities, clusters::VARCHAR AS clusters,
       missing::VARCHAR AS missing, extra::VARCHAR AS extra,
       tp::BIGINT::VARCHAR AS true_pairs_found, predicted_pairs::BIGINT::VARCHAR AS predicted_pairs,
       true_pairs::BIGINT::VARCHAR AS true_pairs,
       round(pp, 4)::VARCHAR AS pairwise_precision, round(pr, 4)::VARCHAR AS pairwise_recall,
       round(2 * pp * pr / (pp + pr), 4)::VARCHAR AS pairwise_f1,
       round(bpp, 4)::VARCHAR AS bcubed_precision, round(bpr, 4)::VARCHAR AS bcubed_recall,
       round(2 * bpp * bpr / (bpp + bpr), 4)::VARCHAR AS bcubed_f1
FROM metrics;
