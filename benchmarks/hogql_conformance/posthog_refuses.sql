-- The queries of posthog_corpus.sql that PostHog itself answers with an error: its tests assert the error (an
-- unknown field or function, a wrong argument count, a zero index, a CTE loop, ...), the field exists only in the
-- test's own setup (globals, an added expression field), or ClickHouse refuses the types (`1 like 'a%sd'`,
-- `event or timestamp`, `['a']['b']`). For these the right answer is a precise 400. One query per line, as in the
-- corpus; run.py --corpus posthog_corpus.sql reads it to count the two parts apart.
select a?.b from events
select a?.1 from events
select a?.b?.['c'] from events
select [1, avg()] from events
select [1, avg(),] from events
select (1, avg()) from events
select (1, avg(),) from events
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
select 1 like 'a%sd' from events
select 1 not like 'a%sd' from events
select 1 ilike 'a%sd' from events
select 1 not ilike 'a%sd' from events
select this.can.go.on.for.miles from events
select avg() from events
select avg(1,2,3) from events
select quantile(0.95)(foo) from events
select interval event year from events
SELECT quantiles(0.0, 0.25, 0.5, 0.75, 1.0)(distinct distinct_id) over () as values FROM events
select event from <OuterQuery><HogQLQuery query='select event from events' /></OuterQuery>
select event from <OuterQuery></OuterQuery>
select event from <OuterQuery q='b'><HogQLQuery query='select event from events' /></OuterQuery>
select event from <OuterQuery source='b'><HogQLQuery query='select event from events' /></OuterQuery>
select a = f'aa {1 + call('string')}aa' from events
select a = f'aa {1 + call(f'fi{one(more, time, 'stringy')}sh')}aa' from events
select person from events
select properties.0 from events
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
select ['properties']['value'] from events
select ['properties']['value']['bla'] from events
select b.a(bla) from events
select event or timestamp from events
select properties.bla and properties.bla2 from events
select event or timestamp or true or count() from events
select event or not timestamp from events
select event -- something from events
select event from events limit (select 1000000000) with ties
SELECT properties.something[0] FROM events
SELECT * from events(1, 4)
SELECT convertCurrency('USD', 'EUR', 100, '2024-01-01')
SELECT event, (select count() from events where event = e.event) as c FROM events e where event = '$pageview'
SELECT event, (select count() from events where event = x.event) as c FROM events x where event = '$pageview'
SELECT x, (SELECT 1 AS x)
SELECT x IN (SELECT 1 AS x)
SELECT events.x FROM (SELECT event as x FROM events) AS t
SELECT x.y FROM (SELECT event as y FROM events AS x) AS t
SELECT x
with cte as (select * from cte) select * from cte
with properties as cte select cte.$browser from events
select e.some_expr, p.some_expr from events e left join persons p on e.uuid = p.id
select globalVar from events
select globalVar.nestedVar from events
select globalVar.nested from events
