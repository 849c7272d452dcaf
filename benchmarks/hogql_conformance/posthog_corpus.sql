-- HogQL from PostHog's own tests (github.com/PostHog/posthog, MIT licence): the query strings of the files
-- below, at the commits named, that PostHog's parser (PyPI hogql-parser 1.3.88) accepts, that have no
-- {placeholder} and that name only tables we serve. Regenerate with posthog_corpus.py (see its docstring).
-- Extracted 595 unique; PostHog's parser rejects 15; placeholders 18; other tables 31; kept 531.
-- from posthog/hogql/test/_test_parser.py @ 016a4cecdcab63fb2aff019e347605ccb8f5bc6d
select 1 from events
select 1.2 from events
select -1 from events
select -1.1 from events
select 0 from events
select 0.0 from events
select -inf from events
select inf from events
select nan from events
select 1e-18 from events
select 2.34e+20 from events
select true from events
select TRUE from events
select false from events
select null from events
select 1 ?? 2 from events
select a?.b from events
select a?.1 from events
select a?.b?.['c'] from events
select 1 > 2 ? 1 : 2 from events
select [] from events
select [1] from events
select [1, avg()] from events
select [1,] from events
select [1, avg(),] from events
select properties['value'] from events
select properties[(select 'value')] from events
select [1,2,3][1] from events
select (1, avg()) from events
select (1, avg(),) from events
select (1,) from events
select (1) from events
select (x, y) -> x * y from events
select x, y -> x * y from events
select (x) -> x * y from events
select x -> x * y from events
select arrayMap(x -> x * 2) from events
select arrayMap((x) -> x * 2) from events
select arrayMap((x, y) -> x * y) from events
select (x, y) -> { print('hello'); return x * y } from events
select asd.asd(123) from events
select asd['asd'](123) from events
select (x -> x * 2)(3) from events
select 'null' from events
select 'n''ull' from events
select 'n''''ull' from events
select 'n ull' from events
select 'n\null' from events
select 'n\\ull' from events
select 1 + 2 from events
select 1 + -2 from events
select 1 - 2 from events
select 1 * 2 from events
select 1 / 2 from events
select 1 % 2 from events
select 1 + 2 + 2 from events
select 1 * 1 * 2 from events
select 1 + 1 * 2 from events
select 1 * 1 + 2 from events
select 1 = 2 from events
select 1 == 2 from events
select 1 != 2 from events
select 1 < 2 from events
select 1 <= 2 from events
select 1 > 2 from events
select 1 >= 2 from events
select 1 is null from events
select 1 is not null from events
select 1 like 'a%sd' from events
select 1 not like 'a%sd' from events
select 1 ilike 'a%sd' from events
select 1 not ilike 'a%sd' from events
select true or false from events
select true and false from events
select true and not false from events
select true or false or not true or 2 from events
select true or false and not true or 2 from events
select not true from events
select (1 + 1) from events
select 1 + (1 + 1) from events
select event from events
select event like '$%' from events
select properties.something == 1 from events
select properties.something from events
select properties.$something from events
select person.properties.something from events
select this.can.go.on.for.miles from events
select avg() from events
select avg(1,2,3) from events
select quantile(0.95)(foo) from events
select 1 as asd from events
select 1 as `asd` from events
select 1 as `🍄` from events
select (1 as b) as `🍄` from events
select 1 -- asd from events
select 1 -- 'asd' from events
select 1 -- '🍄' from events
select interval 1 month from events
select now() - interval 1 week from events
select interval event year from events
select 1
select 1, 4, 'string'
select distinct 1
select 1 where true
select 1 where 1 == 2
select 1 prewhere true
select 1 prewhere 1 == 2
select 1 having true
select 1 having 1 == 2
select 1 prewhere 2 != 3 where 1 == 2 having 'string' like '%a%'
select 1 from events as e
select 1 from events e
select 1 from (select 1 from events)
select 1 from (select 1 from events) as sq
select a from events ARRAY JOIN [1,2,3] as a
select a from events INNER ARRAY JOIN [1,2,3] as a
select 1, b from events LEFT ARRAY JOIN [1,2,3] as a, [4,5,6] AS b
select 1 from events GROUP BY 1, event
select 1 from events ORDER BY 1 ASC, event, timestamp DESC
select 1 from events LIMIT 1
select 1 from events LIMIT 1 OFFSET 3
select 1 from events OFFSET 3
select 1 from events ORDER BY 1 LIMIT 1 WITH TIES
select 1 from events ORDER BY 1 LIMIT 1, 3 WITH TIES
select 1 from events LIMIT 1 OFFSET 3 BY 1, event
select 1 union all select 2 union all select 3
select 1 from events sample 1/10 offset 999
select 1 from events sample 0.1 offset 999
select 1 from events sample 10 offset 1/2
select 1 from events sample 10
with event as boo select boo from events
with count() as kokku select kokku from events
with customers as (select 'yes' from events) select * from customers
with happy as (select 'yes' from events), ':(' as sad select sad from happy
with users as (select event, timestamp as tt from events ), final as ( select tt from users ) select * from final
select case when 1 then 2 else 3 end from events
select case when 1 then 2 when 3 then 4 else 5 end from events
select case 0 when 1 then 2 when 3 then 4 else 5 end from events
SELECT person.id, min(timestamp) over (PARTITION by person.id ORDER BY timestamp DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS timestamp FROM events
SELECT quantiles(0.0, 0.25, 0.5, 0.75, 1.0)(distinct distinct_id) over () as values FROM events
SELECT person.id, min(timestamp) over win1 AS timestamp FROM events WINDOW win1 as (PARTITION by person.id ORDER BY timestamp DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
select event from <HogQLQuery query='select event from events' />
select event from (<HogQLQuery query='select event from events' />)
select event from <OuterQuery><HogQLQuery query='select event from events' /></OuterQuery>
select event from <OuterQuery></OuterQuery>
select event from <OuterQuery q='b'><HogQLQuery query='select event from events' /></OuterQuery>
select event from <OuterQuery source='b'><HogQLQuery query='select event from events' /></OuterQuery>
select event from <HogQLQuery query='select event from events' /> as a
select event from <HogQLQuery query='select event from events' /> a
select id, email from ( <ActorsQuery select={['id', 'properties.email as email']} source={ <HogQLQuery query='select distinct person_id from events' /> } /> )
select <a href='https://google.com'>{event}</a> from events
select extract('string', 'other string') from events
select trim(LEADING 'fish' FROM event), trim(TRAILING 'fish' FROM event), trim(BOTH 'fish' FROM event) from events
select trimLeft(event, 'fish'), trimRight(event, 'fish'), trim(event, 'fish') from events
select TRIM (LEADING 'fish' FROM event), TRIM (TRAILING 'fish' FROM event), TRIM (BOTH 'fish' FROM event) from events
select TRIM (LEADING f'fi{'a'}sh' FROM event) from events
select f'hello {event}' from events
select a = f'aa {1 + call('string')}aa' from events
select a = f'aa {1 + call(f'fi{one(more, time, 'stringy')}sh')}aa' from events
select f'strings\' to {'strings'}' from events
-- from posthog/hogql/test/test_printer.py @ 008663d9bd7476ca9cf758aa3d4bfa3a712e28e0
select -1 + 2 from events
select -1 - 2 / (3 + 4) from events
select 1.0 * 2.66 from events
select 1.0 % 2.66 from events
select 'string' from events
select 1 == null from events
select 1 != null from events
select properties.bla from events
select properties['bla'] from events
select properties.$bla from events
select person.properties.bla from events
select person from events
select person.properties.$browser from events
select properties.$browser from events
select properties.`$browser with a space` from events
select properties."$browser with a space" from events
select properties['$browser with a space'] from events
select properties['$browser with a ` tick'] from events
select properties['$browser \\with a \n` tick'] from events
select properties.0 from events
select properties['$browser'] from events
select properties['withoutdollar'] from events
select properties['$browser and string'] from events
select properties['$browser%%%#@!@'] from events
select count() from events
select count(distinct event) from events
select countIf(distinct event, 1 == 2) from events
select sumIf(1, 1 == 2) from events
select abs(1) from events
select max2(1,2) from events
select toInt('1') from events
select toFloat('1.3') from events
select avg(bla) from events
select count(1,2,3,4) from events
select countIf() from events
select countIf(2,3,4) from events
select hamburger(event) from events
select mad(event) from events
select yeet.the.cloud from events
select chipotle from events
select avg(avg(properties.bla)) from events
select person.chipotle from events
select properties.no.json.yet from events
select ['properties']['value'] from events
select ['properties']['value']['bla'] from events
select b.a(bla) from events
select event or timestamp from events
select properties.bla and properties.bla2 from events
select event or timestamp or true or count() from events
select event or not timestamp from events
select event == 'E' from events
select event != 'E' from events
select event > 'E' from events
select event >= 'E' from events
select event < 'E' from events
select event <= 'E' from events
select event like 'E' from events
select event not like 'E' from events
select event ilike 'E' from events
select event not ilike 'E' from events
select event in 'E' from events
select event not in 'E' from events
select event -- something from events
select coalesce(4.2, 5, 'lol', 'hoo') from events
select 1 as `-- select team_id` from events
select 1 + 2
select 1 + 2, 3
select 1 + 2, 3 + 4 from events
select 1 as b
select 1 from events where 1 == 2
select 1 from events having 1 == 2
select 1 from events prewhere 1 == 2
select 1 from events prewhere 1 == 2 where 2 == 3
select event from events order by event
select event from events order by event desc
select event from events order by event desc, timestamp
select event from events limit 10
select event from events limit 10000000
select event from events limit (select 1000000000)
select event from events limit (select 1000000000) with ties
select event from events limit 10 offset 10
select event from events limit 10 offset 0
select event from events limit 10 offset 0 by 1,event
select event from events group by event, timestamp
select distinct event from events group by event, timestamp
SELECT event from (select distinct event from events group by event, timestamp)
SELECT event from (select distinct event from events group by event, timestamp) e
SELECT event FROM events UNION ALL SELECT event FROM events WHERE 1 = 2
SELECT event FROM events UNION ALL SELECT event FROM events WHERE 1 = 2 UNION ALL SELECT event FROM events WHERE 1 = 2
SELECT 1 UNION ALL (SELECT 1 UNION ALL SELECT 1) UNION ALL SELECT 1
SELECT 1 UNION ALL SELECT 1 UNION ALL SELECT 1 UNION ALL SELECT 1
SELECT 1 FROM (SELECT 1 UNION ALL SELECT 1)
SELECT event FROM events SAMPLE 1
SELECT event FROM events SAMPLE 0.1 OFFSET 1/10
SELECT event FROM events SAMPLE 2/78 OFFSET 999
SELECT event FROM events SAMPLE 2/78 OFFSET 999 JOIN persons ON persons.id=events.person_id
SELECT event FROM events SAMPLE 2/78 OFFSET 999 JOIN persons SAMPLE 0.1 ON persons.id=events.person_id
SELECT count(distinct event) FROM events
SELECT count(*) FROM events
SELECT countIf(distinct event, event like '%a%') FROM events
-- from posthog/hogql/test/test_query.py @ 006017a22d98499c614f439f47342d50f71d0117
select distinct person_id, distinct_id from person_distinct_ids
SELECT event, timestamp, pdi.distinct_id, p.id, p.properties.sneaky_mail FROM events e LEFT JOIN person_distinct_ids pdi ON pdi.distinct_id = e.distinct_id LEFT JOIN persons p ON p.id = pdi.person_id
SELECT event, timestamp, pdi.distinct_id, pdi.person_id FROM events LIMIT 10
SELECT event, e.timestamp, e.pdi.distinct_id, pdi.person_id FROM events e LIMIT 10
SELECT pdi.distinct_id, pdi.person.created_at FROM person_distinct_ids pdi LIMIT 10
SELECT pdi.distinct_id, pdi.person.properties.sneaky_mail FROM person_distinct_ids pdi LIMIT 10
SELECT events.event, persons.properties.email FROM events JOIN persons ON events.person_id = persons.id WHERE events.event = 'pageview'
SELECT e1.event, e2.event FROM events e1 JOIN events e2 ON e1.person_id = e2.person_id WHERE e1.event = 'pageview' AND e2.event = 'click'
SELECT persons.id, events.event FROM persons JOIN events ON persons.id = events.person_id LIMIT 10
SELECT event, timestamp, pdi.distinct_id, pdi.person.id FROM events LIMIT 10
SELECT event, timestamp, pdi.distinct_id, pdi.person.properties.sneaky_mail FROM events LIMIT 10
SELECT event, e.timestamp, pdi.distinct_id, e.pdi.person.properties.sneaky_mail FROM events e LIMIT 10
SELECT event, e.timestamp, e.pdi.person.properties.sneaky_mail FROM events e LIMIT 10
SELECT s.pdi.person.properties.sneaky_mail, count() FROM events s GROUP BY s.pdi.person.properties.sneaky_mail LIMIT 10
SELECT poe.properties.sneaky_mail, count() FROM events s GROUP BY poe.properties.sneaky_mail LIMIT 10
SELECT event, timestamp, person.id, person.properties.sneaky_mail FROM events LIMIT 10
SELECT arrayMap(x -> x * 2, [1, 2, 3]), 1
select toDate(timestamp) as timestamp, count() as cnt from events where timestamp >= addDays(today(), -10) group by timestamp having cnt > 10 limit 1
select toDate(timestamp) as timestamp, JSONExtractInt(properties, 'field') as json_int from events where timestamp >= addDays(today(), -10) and json_int = 17 limit 1
WITH latest_events AS ( SELECT distinct_id, argMax(properties.$os_version, timestamp) AS latest_os_version FROM events WHERE properties.$os = 'iOS' AND timestamp >= now() - INTERVAL 30 DAY GROUP BY distinct_id), major_versions AS ( SELECT distinct_id, latest_os_version, splitByChar('.', ifNull(latest_os_version, ''))[1] AS major_version FROM latest_events) SELECT major_version, count() AS user_count, round(100 * count() / sum(count()) OVER (), 2) AS percentage FROM major_versions WHERE major_version IN ('17', '18', '26') GROUP BY major_version ORDER BY major_version
SELECT [1, 2, 3], [10,11,12][1]
select col_a, arrayZip( (sumMap( g.1, g.2 ) as x).1, x.2) as r from ( select col_a, groupArray( (col_b, col_c) ) as g from ( SELECT properties.index as col_a, event as col_b, count() as col_c FROM events GROUP BY properties.index, event ) group by col_a) group by col_a ORDER BY col_a
SELECT properties.empty_string, properties.`null`, properties.undefined, properties.str_zero, properties.num_zero FROM events WHERE events.event='empty event'
select distinct_id, timestamp, event, groupArray(event) OVER (PARTITION BY distinct_id ORDER BY timestamp ASC ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) AS two_before, groupArray(event) OVER (PARTITION BY distinct_id ORDER BY timestamp ASC ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) AS two_after from events where timestamp > toDateTime('2020-01-09 00:00:00') and distinct_id like '%_{random_uuid}' order by distinct_id, timestamp
select distinct_id, timestamp, event, groupArray(event) OVER w1 AS two_before, groupArray(event) OVER w2 AS two_after, row_number() OVER w1 AS rn_1, row_number() OVER w2 AS rn_2, first_value(event) OVER w1 AS first_value_1, last_value(event) OVER w1 AS last_value_1, first_value(event) OVER w2 AS first_value_2, last_value(event) OVER w2 AS last_value_2, rank() OVER w1 AS rank_1, dense_rank() OVER w2 AS rank_2 from events where timestamp > toDateTime('2020-01-09 00:00:00') and distinct_id like '%_{random_uuid}' window w1 as (PARTITION BY distinct_id ORDER BY timestamp ASC ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING), w2 as (PARTITION BY distinct_id ORDER BY timestamp ASC ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING) order by distinct_id, timestamp
WITH PIVOT_TABLE_COL_ABC AS ( SELECT properties.index as col_a, event as col_b, count() as col_c FROM events GROUP BY properties.index, event ), PIVOT_FUNCTION_1 AS ( select col_a, groupArray( (col_b, col_c) ) as g from PIVOT_TABLE_COL_ABC group by col_a ), PIVOT_FUNCTION_2 AS ( select col_a, arrayZip( (sumMap( g.1, g.2 ) as x).1, x.2) as r from PIVOT_FUNCTION_1 group by col_a ) SELECT * FROM PIVOT_FUNCTION_2 ORDER BY col_a
WITH PIVOT_TABLE_COL_ABC AS ( SELECT properties.index as col_a, event as col_b, count() as col_c FROM events GROUP BY properties.index, event ), PIVOT_FUNCTION_1 AS ( select col_a, groupArray( (col_b, col_c) ) as g from PIVOT_TABLE_COL_ABC group by col_a ), PIVOT_FUNCTION_2 AS ( select col_a, arrayZip( (sumMap( g.1, g.2 ) as x).1, x.2) as r from PIVOT_FUNCTION_1 group by col_a ), final as (select * from PIVOT_FUNCTION_2) SELECT * FROM final ORDER BY col_a
SELECT properties.something[0] FROM events
SELECT properties.something.0 FROM events
SELECT tumble(toDateTime('2020-01-01'), toIntervalDay('1')), tumbleStart(toDateTime('2020-01-01'), toIntervalDay('1')), tumbleEnd(toDateTime('2020-01-01'), toIntervalDay('1')), hop(toDateTime('2020-01-01'), toIntervalDay('1'), toIntervalDay('2')), hopStart(toDateTime('2020-01-01'), toIntervalDay('1'), toIntervalDay('2')), hopEnd(toDateTime('2020-01-01'), toIntervalDay('1'), toIntervalDay('2'))
SELECT 'kala' ~ '.*', 'kala' =~ '.*', 'kala' !~ '.*', 'kala' =~ 'a', 'kala' !~ 'a', 'kala' =~ 'A', 'kala' !~ 'A', 'kala' ~* 'A', 'kala' =~* 'A', 'kala' !~* 'A'
SELECT null ?? 1, null ?? null ?? 2, 3 ?? null, null ?? 'string', 1 + (null ?? 2) + 3, 1 + null ?? 2 + 3, 10 ?? true ? 20 : 30, 10 ?? 5 + 10
SELECT * from events(1, 4)
SELECT issue_id AS id, count(DISTINCT uuid) AS occurrences, count(DISTINCT nullIf($session_id, '')) AS sessions, count(DISTINCT distinct_id) AS users, max(timestamp) AS last_seen, min(timestamp) AS first_seen, reverse(arrayMap(x -> countEqual(groupArray(dateDiff('hour', toStartOfHour(timestamp), toStartOfHour(now()))), x), range(24))) AS volumeDay, reverse(arrayMap(x -> countEqual(groupArray(dateDiff('day', toStartOfDay(timestamp), toStartOfDay(now()))), x), range(31))) AS volumeMonth, reverse(arrayMap(x -> countEqual(groupArray(dateDiff('hour', toStartOfHour(timestamp), toStartOfHour(now()))), x), range(168))) AS customVolume FROM events WHERE and( equals(event, '$exception'), isNotNull(issue_id), or( and(greater(timestamp, toDateTime('2025-02-10 23:53:03.175952+02:30')), less(timestamp, toDateTime('2025-02-11 23:53'))), and(greater(timestamp, toDateTime('2025-02-12 23:53:03')), less(timestamp, toDateTime('2025-02-13 23:53:03.175952'))) ) ) GROUP BY issue_id ORDER BY occurrences DESC LIMIT 51 OFFSET 0
SELECT event FROM events UNION ALL SELECT event FROM events
SELECT 1
SELECT arrayJoin(['0.0.0.0.1000', '0.9', '0.2354.2', '1.0.0', '1.1.0', '1.2.0', '1.9.233434.10', '1.10.0', '1.1000.0', '2.0.0', '2.2.0.betabac', '2.2.1']) AS semver ORDER BY sortableSemVer(semver) DESC
SELECT sortableSemVer('1.2.3.4.15bac.16')
SELECT convertCurrency('USD', 'EUR', 100, _toDate('2024-01-01'))
SELECT convertCurrency('USD', 'EUR', 100, '2024-01-01')
SELECT convertCurrency('BOGUS', 'EUR', 100, _toDate('2024-01-01'))
SELECT convertCurrency('USD', 'BOGUS', 100, _toDate('2024-01-01'))
SELECT convertCurrency('USD', 'EUR', 100)
SELECT convertCurrency('EUR', 'USD', convertCurrency('USD', 'EUR', 100, _toDate('2020-03-15')), _toDate('2020-03-15'))
SELECT events.session.id from events
select 5 between 1 and 10
select 1 between 1 and 10
select 10 between 1 and 10
select 0 between 1 and 10
select 11 between 1 and 10
select 5 not between 1 and 10
select 0 not between 1 and 10
select 11 not between 1 and 10
select 10 not between 1 and 10
select null between 1 and 10
select 5 between null and 10
select 5 between 1 and null
select null = 2
select a = b from (select null as a, 2 as b)
select 2 = null
select a = b from (select 2 as a, null as b)
select 3 = 4
select a = b from (select 3 as a, 4 as b)
select 3 = 3
select a = b from (select 3 as a, 3 as b)
select null = null
select a = b from (select null as a, null as b)
select null != 2
select a != b from (select null as a, 2 as b)
select 2 != null
select a != b from (select 2 as a, null as b)
select 3 != 4
select a != b from (select 3 as a, 4 as b)
select 3 != 3
select a != b from (select 3 as a, 3 as b)
select null != null
select a != b from (select null as a, null as b)
select null < 2
select a < b from (select null as a, 2 as b)
select 2 < null
select a < b from (select 2 as a, null as b)
select 3 < 4
select a < b from (select 3 as a, 4 as b)
select 3 < 3
select a < b from (select 3 as a, 3 as b)
select null < null
select a < b from (select null as a, null as b)
select null <= 2
select a <= b from (select null as a, 2 as b)
select 2 <= null
select a <= b from (select 2 as a, null as b)
select 3 <= 4
select a <= b from (select 3 as a, 4 as b)
select 3 <= 3
select a <= b from (select 3 as a, 3 as b)
select null <= null
select a <= b from (select null as a, null as b)
select null > 2
select a > b from (select null as a, 2 as b)
select 2 > null
select a > b from (select 2 as a, null as b)
select 3 > 4
select a > b from (select 3 as a, 4 as b)
select 3 > 3
select a > b from (select 3 as a, 3 as b)
select null > null
select a > b from (select null as a, null as b)
select null >= 2
select a >= b from (select null as a, 2 as b)
select 2 >= null
select a >= b from (select 2 as a, null as b)
select 3 >= 4
select a >= b from (select 3 as a, 4 as b)
select 3 >= 3
select a >= b from (select 3 as a, 3 as b)
select null >= null
select a >= b from (select null as a, null as b)
select null like '2'
select a like b from (select null as a, '2' as b)
select '2' like null
select a like b from (select '2' as a, null as b)
select '3' like '4'
select a like b from (select '3' as a, '4' as b)
select '3' like '3'
select a like b from (select '3' as a, '3' as b)
select null like null
select a like b from (select null as a, null as b)
select null not like '2'
select a not like b from (select null as a, '2' as b)
select '2' not like null
select a not like b from (select '2' as a, null as b)
select '3' not like '4'
select a not like b from (select '3' as a, '4' as b)
select '3' not like '3'
select a not like b from (select '3' as a, '3' as b)
select null not like null
select a not like b from (select null as a, null as b)
select null ilike '2'
select a ilike b from (select null as a, '2' as b)
select '2' ilike null
select a ilike b from (select '2' as a, null as b)
select '3' ilike '4'
select a ilike b from (select '3' as a, '4' as b)
select '3' ilike '3'
select a ilike b from (select '3' as a, '3' as b)
select null ilike null
select a ilike b from (select null as a, null as b)
select null not ilike '2'
select a not ilike b from (select null as a, '2' as b)
select '2' not ilike null
select a not ilike b from (select '2' as a, null as b)
select '3' not ilike '4'
select a not ilike b from (select '3' as a, '4' as b)
select '3' not ilike '3'
select a not ilike b from (select '3' as a, '3' as b)
select null not ilike null
select a not ilike b from (select null as a, null as b)
select null =~ '2'
select a =~ b from (select null as a, '2' as b)
select '2' =~ null
select a =~ b from (select '2' as a, null as b)
select '3' =~ '4'
select a =~ b from (select '3' as a, '4' as b)
select '3' =~ '3'
select a =~ b from (select '3' as a, '3' as b)
select null =~ null
select a =~ b from (select null as a, null as b)
select null !~ '2'
select a !~ b from (select null as a, '2' as b)
select '2' !~ null
select a !~ b from (select '2' as a, null as b)
select '3' !~ '4'
select a !~ b from (select '3' as a, '4' as b)
select '3' !~ '3'
select a !~ b from (select '3' as a, '3' as b)
select null !~ null
select a !~ b from (select null as a, null as b)
select null =~* '2'
select a =~* b from (select null as a, '2' as b)
select '2' =~* null
select a =~* b from (select '2' as a, null as b)
select '3' =~* '4'
select a =~* b from (select '3' as a, '4' as b)
select '3' =~* '3'
select a =~* b from (select '3' as a, '3' as b)
select null =~* null
select a =~* b from (select null as a, null as b)
select null !~* '2'
select a !~* b from (select null as a, '2' as b)
select '2' !~* null
select a !~* b from (select '2' as a, null as b)
select '3' !~* '4'
select a !~* b from (select '3' as a, '4' as b)
select '3' !~* '3'
select a !~* b from (select '3' as a, '3' as b)
select null !~* null
select a !~* b from (select null as a, null as b)
-- from posthog/hogql/test/test_resolver.py @ 014bb14feeb99cd3ea7fb1fa4e68e43661c790a4
SELECT event, events.timestamp FROM events WHERE events.event = 'test'
SELECT event, e.timestamp FROM events e WHERE e.event = 'test'
SELECT event as ee, ee, ee as e, e.timestamp FROM events e WHERE e.event = 'test'
SELECT b FROM (select event as b, timestamp as c from events) e WHERE e.b = 'test'
SELECT event, (select count() from events where event = e.event) as c FROM events e where event = '$pageview'
SELECT 1 and 1, 1 or 1, not true
SELECT event, (select count() from events where event = x.event) as c FROM events x where event = '$pageview'
SELECT x, (SELECT 1 AS x)
SELECT x IN (SELECT 1 AS x)
SELECT events.x FROM (SELECT event as x FROM events) AS t
SELECT x.y FROM (SELECT event as y FROM events AS x) AS t
SELECT x
select distinct_id, person.id from person_distinct_ids
select event, pdi.person_id from events
select event, e.pdi.person_id from events e
select event, pdi.person.id from events
select event, e.pdi.person.id from events e
select event, poe.id from events
select event, timestamp from events union all select event, timestamp from events
select max(timestamp) from events
with cte as (select * from cte) select * from cte
with 1 as cte select cte from events
with 1 as cte, cte as soap select soap from events
with properties as cte select cte.$browser from events
with my_table as (select * from events) select * from my_table
select * from (select * from events) my_table
with my_table as (select * from events) select my_table.timestamp from my_table
select my_table.timestamp from (select * from events) my_table
with my_table as (select * from events) select timestamp from my_table
select timestamp from (select * from events) my_table
with my_table as (select * from events), other_table as (select * from (select * from (select * from my_table))) select * from other_table
select * from (select * from (select * from (select * from (select * from events) as my_table))) as other_table
select * from (select tt from (select event, timestamp as tt from events) AS users) AS final
WITH initial_alias AS (SELECT 1 AS a) SELECT a FROM initial_alias AS new_alias WHERE new_alias.a=1
SELECT a FROM (SELECT 1 AS a) AS new_alias WHERE new_alias.a=1
WITH cte1 AS (SELECT 1 AS a) SELECT 1 AS a UNION ALL WITH cte2 AS (SELECT 2 AS a) SELECT * FROM cte2 UNION ALL SELECT * FROM cte1
SELECT 1 AS a UNION ALL SELECT * FROM (SELECT 2 AS a) AS cte2 UNION ALL SELECT * FROM (SELECT 1 AS a) AS cte1
WITH my_table AS (SELECT 1 AS a) SELECT q1.a FROM my_table AS q1 INNER JOIN my_table AS q2 USING a
SELECT q1.event FROM events AS q1 INNER JOIN events AS q2 USING event
select * from events
select * from events e
select * from (select 1 as a, 2 as b)
select e.some_expr, p.some_expr from events e left join persons p on e.uuid = p.id
select x.* from (select 1 as a, 2 as b) x
select * from (select * from events)
select * from (select 1 as a, 2 as b) x left join (select 1 as a, 2 as b) y on x.a = y.a
select x.* from (select 1 as a, 2 as b) x left join (select 1 as a, 2 as b) y on x.a = y.a
select * from (select * from events union all select * from events)
select timestamp, arrayMap(x -> x + timestamp, [2]) from events
SELECT event, person.id, person.properties, person.created_at FROM events
select id, email from ( <ActorsQuery select={['properties.email as email']} source={ <HogQLQuery query='select distinct person_id from events' /> } /> )
select <RecordingButton sessionId={'12345-6789'} />
select <Sparkline data={[1,2,3]} />
select {'key': {'key': 'value'}}
select event from (select event from events)
select event from (select event from (select event from events))
select 1 + 2 as key from events
select key from (select 1 + 2 as key from events)
select 1.0 + 2.0 as key from events
select 100 + 2.0 as key from events
select 1.0 + 200 as key from events
select true and false as key from events
select key from (select true or false as key from events)
select key from (select 3 = 4 as key from events)
select key from (select 3 = null as key from events)
select abs(3) from events
select plus(1, 2) from events
SELECT assumeNotNull(toDateTime('2020-01-01 00:00:00'))
select <RecordingButton sessionId={'12345'} />
select recording_button('12345')
select sparkline((1,2,3))
select globalVar from events
select globalVar.nestedVar from events
select globalVar.nested from events
