-- HogQL conformance corpus: one query per line, written for this project (constructs of PostHog's HogQL grammar
-- and its function families, over the core tables we serve). Lines starting with `--` are comments.
-- grammar: select, from, where, group, having, order, limit
select event from events limit 5
select event, count() from events group by event order by count() desc
select event, count() as c from events group by event having c > 1 order by c desc limit 3
select distinct event from events order by event
select * from events limit 1
select events.event from events limit 1
select e.event from events e limit 1
select e.event from events as e limit 1
select event from events limit 2 offset 1
select event from events limit 1, 2
select event from events order by timestamp desc nulls last limit 1
select count(*) from events
select count(distinct distinct_id) from events
select 1
select 1 as x, 'a' as y, null as z
select event from events where event = 'signup' or event = 'purchase' limit 10
select event from events where event = 'signup' and timestamp > now() - interval 30 day limit 10
select event from events where not event = '$pageview' limit 10
select event from events where event in ('signup', 'purchase') limit 10
select event from events where event not in ('signup') limit 10
select event from events where event like '$%' limit 3
select event from events where event ilike '%PAGE%' limit 3
select event from events where event not like '$%' limit 3
select event from events where event =~ '^\\$page' limit 3
select event from events where event !~ '^\\$' limit 3
select event from events where event =~* 'SIGN' limit 3
select event from events where timestamp between now() - interval 7 day and now() limit 3
select event from events where properties.$browser is null limit 3
select event from events where properties.$browser is not null limit 3
select 1 + 2 * 3, (1 + 2) * 3, 7 / 2, 7 % 3, -1
select 1 = 1 ? 'yes' : 'no'
select 'a' || 'b' || 'c'
select [1, 2, 3][2]
select (1, 'a').2
select tuple(1, 'a').1
select arrayMap(x -> x * 2, [1, 2, 3])
select arrayFilter(x -> x > 1, [1, 2, 3])
select arrayMap((x, y) -> x + y, [1, 2], [3, 4])
select properties.$browser from events limit 1
select properties.$browser, count() from events group by properties.$browser
select person.properties.email from events limit 1
select person_id, person.created_at from events limit 1
select distinct_id from events where properties.$os = 'Windows' limit 1
-- subqueries, CTEs, set operations, joins
select event from (select event from events) limit 1
select c from (select count() as c from events)
with e as (select event from events) select count() from e
with x as (select 1 as a), y as (select 2 as b) select a, b from x, y
with 1 as one select one
with 'signup' as name select count() from events where event = name
select event from events union all select event from events limit 2
select event from events union distinct select event from events
select event from events intersect select event from events
select event from events except select 'signup'
select count() from events e join persons p on e.person_id = p.id
select count() from events e left join persons p on e.person_id = p.id
select count() from events e inner join persons p on e.person_id = p.id
select count() from events e right join persons p on e.person_id = p.id
select count() from events e full outer join persons p on e.person_id = p.id
select count() from events e cross join (select 1) t
select count() from events e left any join persons p on e.person_id = p.id
select count() from events e asof left join sessions s on e.distinct_id = s.distinct_id and e.timestamp >= s.$start_timestamp
select count() from events e semi left join persons p on e.person_id = p.id
select count() from events e anti left join persons p on e.person_id = p.id
select count() from events e global join persons p on e.person_id = p.id
select event from events where distinct_id in (select distinct_id from person_distinct_ids) limit 1
select event from events where exists(select 1 from persons) limit 1
-- ClickHouse clauses
select event from events prewhere event = 'signup' limit 5
select count() from events sample 1
select count() from events sample 1/10
select count() from events sample 0.1 offset 0.5
select count() from events final
select event, timestamp from events order by timestamp desc limit 1 by event
select event from events order by event limit 1 with ties
select event, count() from events group by event with totals
select event, count() from events group by event with rollup
select event, count() from events group by event with cube
select toStartOfDay(timestamp) as d from events order by d with fill
select event from events settings max_threads = 1
select event, e from events array join [1, 2] as e limit 2
select event, e from events left array join [1, 2] as e limit 2
select event, e from events inner array join [1, 2] as e limit 2
select e from events array join elements_chain_ids as e limit 2
-- window functions
select event, row_number() over (partition by event order by timestamp) from events limit 3
select event, rank() over (order by event) from events limit 3
select event, dense_rank() over (order by event) from events limit 3
select event, count() over (partition by event) from events limit 3
select event, sum(1) over (order by timestamp rows between unbounded preceding and current row) from events limit 3
select event, lagInFrame(event) over (order by timestamp) from events limit 3
select event, leadInFrame(event) over (order by timestamp) from events limit 3
select event, lag(event) over (order by timestamp) from events limit 3
select event, lead(event, 1) over (order by timestamp) from events limit 3
select event, first_value(event) over (order by timestamp) from events limit 3
select event, count() over w from events window w as (partition by event) limit 3
-- aggregates
select sum(1), avg(1), min(timestamp), max(timestamp) from events
select uniq(distinct_id), uniqExact(distinct_id) from events
select countIf(event = 'signup'), sumIf(1, event = 'signup'), avgIf(1, event = 'signup') from events
select countIf(distinct distinct_id, event = 'signup') from events
select uniqIf(distinct_id, event = 'signup') from events
select any(event), anyLast(event) from events
select argMax(event, timestamp), argMin(event, timestamp) from events
select groupArray(event) from (select event from events limit 3)
select groupUniqArray(event) from events
select median(toFloat(properties.price)) from events
select quantile(0.9)(toFloat(properties.price)) from events
select quantiles(0.25, 0.5, 0.75)(toFloat(properties.price)) from events
select stddevPop(1), varSamp(1) from events
select count() filter (where event = 'signup') from events
select groupArray(3)(event) from events
select topK(3)(event) from events
-- type conversion
select toString(1), toInt(' 1'), toFloat('1.5'), toDate('2024-01-02'), toDateTime('2024-01-02 03:04:05')
select toUInt32(1), toUInt64(2), toInt32('3'), toInt64(4), toFloat64(5)
select toIntOrNull('x'), toFloatOrNull('x'), toDateOrNull('x')
select toUUID('00000000-0000-0000-0000-000000000000')
select CAST(1, 'String')
select CAST(1 AS String)
select 1::String
select toTypeName(1)
select toBool(1)
select toDecimal(1.5, 2)
select parseDateTimeBestEffort('2024-01-02')
-- dates and times
select now(), today(), yesterday()
select toStartOfDay(timestamp), toStartOfWeek(timestamp), toStartOfMonth(timestamp) from events limit 1
select toStartOfHour(timestamp), toStartOfMinute(timestamp), toStartOfQuarter(timestamp), toStartOfYear(timestamp) from events limit 1
select toYear(timestamp), toMonth(timestamp), toDayOfMonth(timestamp), toHour(timestamp) from events limit 1
select toDayOfWeek(timestamp), toMinute(timestamp), toSecond(timestamp) from events limit 1
select toYYYYMM(timestamp) from events limit 1
select toYYYYMMDD(timestamp) from events limit 1
select toUnixTimestamp(timestamp) from events limit 1
select toTimeZone(timestamp, 'UTC') from events limit 1
select toIntervalDay(1), toIntervalHour(2)
select timestamp + toIntervalDay(1) from events limit 1
select dateDiff('day', toDate('2024-01-01'), toDate('2024-01-31'))
select dateAdd('day', 1, toDate('2024-01-01'))
select dateSub('day', 1, toDate('2024-01-01'))
select dateTrunc('month', toDate('2024-01-15'))
select addDays(toDate('2024-01-01'), 3), subtractHours(toDateTime('2024-01-01 00:00:00'), 1)
select formatDateTime(toDate('2024-01-02'), '%Y-%m-%d')
select toDate('2024-01-02') - interval 1 day
select interval 1 day
select fromUnixTimestamp(0)
select toStartOfInterval(timestamp, interval 1 hour) from events limit 1
-- strings
select lower('A'), upper('a'), length('abc'), concat('a', 'b', 1)
select substring('hello', 2, 3), trim('  a  '), reverse('abc')
select replaceAll('aXbX', 'X', '-'), replaceOne('aXbX', 'X', '-'), replaceRegexpAll('a1b2', '[0-9]', '')
select splitByChar(',', 'a,b,c'), splitByString(', ', 'a, b')
select position('hello', 'l'), positionCaseInsensitive('HELLO', 'l')
select startsWith('hello', 'he'), endsWith('hello', 'lo')
select match('hello', '^h'), extract('hello123', '[0-9]+')
select extractAll('a1b2', '[0-9]')
select leftPad('1', 3, '0'), rightPad('1', 3, '0')
select empty(''), notEmpty('a')
select arrayStringConcat(['a', 'b'], ',')
select repeat('ab', 2), left('hello', 2), right('hello', 2)
select like('abc', 'a%'), ilike('ABC', 'a%'), notLike('abc', 'b%')
select base64Encode('a'), base64Decode('YQ==')
select lengthUTF8('é'), lowerUTF8('É')
select format('{} {}', 'a', 'b')
select f'hello {event}' from events limit 1
-- arrays, tuples, maps
select [1, 2, 3], array(1, 2), has([1, 2], 1), length([1, 2])
select arraySum([1, 2]), arrayConcat([1], [2]), arrayReverse([1, 2]), arrayDistinct([1, 1])
select arraySlice([1, 2, 3], 2, 2)
select range(3), range(1, 4)
select arrayZip([1, 2], ['a', 'b'])
select arrayJoin([1, 2, 3])
select indexOf([1, 2, 3], 2)
select arrayExists(x -> x > 2, [1, 2, 3]), arrayAll(x -> x > 0, [1, 2])
select arraySort([3, 1, 2]), arrayCount(x -> x > 1, [1, 2, 3])
select arrayElement([1, 2], 1)
select map('a', 1, 'b', 2)
select map('a', 1)['a']
select tuple(1, 2)
select (1, 2)
select tupleElement((1, 2), 1)
select properties.arr[1].id from events limit 1
select JSONExtractString(properties, '$browser') from events limit 1
select JSONExtractInt('{"a": 1}', 'a'), JSONExtractFloat('{"a": 1.5}', 'a'), JSONExtractBool('{"a": true}', 'a')
select JSONHas('{"a": 1}', 'a'), JSONExtractRaw('{"a": [1]}', 'a')
select JSONExtractKeys('{"a": 1}')
-- conditionals, nulls, math
select if(1 = 1, 'a', 'b'), multiIf(1 = 2, 'a', 1 = 1, 'b', 'c')
select ifNull(null, 1), nullIf(1, 1), coalesce(null, 2), isNull(null), isNotNull(1)
select case when 1 = 1 then 'a' else 'b' end
select case 1 when 1 then 'a' else 'b' end
select abs(-1), round(1.55, 1), floor(1.5), ceil(1.5), sqrt(4), pow(2, 3), exp(0), log(1), log2(8), log10(100)
select greatest(1, 2), least(1, 2), sign(-2), intDiv(7, 2), modulo(7, 2)
select max2(1, 2), min2(1, 2)
select plus(1, 2), minus(3, 1), multiply(2, 3), divide(6, 3), negate(1)
select equals(1, 1), notEquals(1, 2), less(1, 2), greater(2, 1), lessOrEquals(1, 1), greaterOrEquals(1, 1)
select and(1 = 1, 2 = 2), or(1 = 2, 2 = 2), not(1 = 2), xor(1 = 1, 1 = 2)
select inf, -inf, nan
select 1e3, 0x10, 1.5e-2
select cityHash64('a'), md5('a'), hex(255)
select rand() >= 0
select generateUUIDv4() is not null
select toString(uuid) from events limit 1
select (1 as b) as x
select 1 as a, a + 1 as b
select event, count() as c from events group by event order by c desc, event limit 3
select e.event, p.properties.email from events e left join persons p on e.person_id = p.id limit 1
select sessions.$session_duration from sessions limit 1
select count() from sessions where $is_bounce
select count() from groups where index = 0
select count() from person_distinct_ids
select properties.plan, count() from persons group by properties.plan
select session.$session_duration from events limit 1
select tumble(timestamp, toIntervalDay(1)) from events limit 1
select (x -> x * 2)(3)
select avg()
select event from events as e where e.properties.$browser = 'Chrome' limit 1
select sumMap([1], [2])
select bitAnd(3, 1), bitOr(1, 2)
select toFloat(1) / 0, -1 / 0
-- grammar gaps closed later (issue 16, second pass): null-safe access, LIMIT BY then LIMIT, HogQLX tags, lambdas
select properties?.$browser from events limit 1
select [1, 2]?.[2]
select event from events order by event limit 1 by event limit 2
select event from <HogQLQuery query='select event from events' /> limit 1
select ((x, y) -> x + y)(1, 2)
select length(range(1000)), length('héllo'), empty([]), notEmpty('')
