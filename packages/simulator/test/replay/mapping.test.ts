import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ReplayInputError, SINGLE_HOP_MAPPING, mapRows, parseCsv, parseMapping } from '@isobar/simulator'

describe('replay CSV and mapping', () => {
  it('reads RFC 4180 CSV: quoted commas, doubled quotes, CRLF, a missing final newline', () => {
    const table = parseCsv('id,note,t\r\n"a,1","say ""hi""",5\r\nb,,6')
    assert.deepEqual(table.header, ['id', 'note', 't'])
    assert.deepEqual(table.rows, [
      ['a,1', 'say "hi"', '5'],
      ['b', '', '6'],
    ])
    assert.throws(() => parseCsv('a,b\n1,2,3\n', 'x.csv'), /x\.csv: row 2 has 3 fields, the header 2/)
    assert.throws(() => parseCsv('a\n"open\n'), ReplayInputError)
  })

  it('maps rows to readings sorted by event time, from a time column or a sequence', () => {
    const table = parseCsv('ts,dev,t,rh,lab\n2026-01-01T00:00:10Z,7,21.5,,0\n2026-01-01T00:00:05Z,7,21.25,40,1\n')
    const mapping = parseMapping(
      JSON.stringify({
        sensorId: 'mote:{dev}',
        time: { column: 'ts', format: 'iso' },
        fields: { temperatureC: 't', relativeHumidityPct: 'rh' },
        zoneId: 'z{dev}',
        label: 'lab',
      }),
      table.header,
    )
    assert.deepEqual(mapRows(table.header, table.rows, mapping), [
      {
        sensorId: 'mote:7',
        eventTimeMs: Date.parse('2026-01-01T00:00:05Z'),
        values: { temperatureC: 21.25, relativeHumidityPct: 40 },
        zoneId: 'z7',
        label: '1',
      },
      {
        sensorId: 'mote:7',
        eventTimeMs: Date.parse('2026-01-01T00:00:10Z'),
        values: { temperatureC: 21.5 },
        zoneId: 'z7',
        label: '0',
      },
    ])
    const hop = parseCsv('reading,mote_id,indoor,humidity,temperature,label\n1,1,1,45.9,27.9,0\n3,1,1,46,28,1\n')
    const rows = mapRows(hop.header, hop.rows, parseMapping(JSON.stringify(SINGLE_HOP_MAPPING), hop.header))
    assert.deepEqual(
      rows.map((r) => r.eventTimeMs - Date.parse('2010-05-09T00:00:00Z')),
      [0, 10_000],
      'start + (n − first) × interval',
    )
  })

  it('names the problem in a bad mapping or a bad cell', () => {
    const header = ['ts', 'v']
    const bad = (mapping: object): RegExp | undefined => {
      try {
        parseMapping(JSON.stringify(mapping), header)
      } catch (error) {
        assert.ok(error instanceof ReplayInputError)
        return undefined
      }
      assert.fail('accepted a bad mapping')
    }
    const good = { sensorId: 's', time: { column: 'ts', format: 'epoch-ms' }, fields: { temperatureC: 'v' } }
    bad({ ...good, sensorId: 'x-{nope}' })
    bad({ ...good, fields: { speed: 'v' } })
    bad({ ...good, time: { column: 'ts', format: 'unix' } })
    bad({ ...good, extra: 1 })
    assert.throws(() => parseMapping('{', header), /replay mapping: not JSON/)
    const mapping = parseMapping(JSON.stringify(good), header)
    assert.throws(() => mapRows(header, [['1000', '2x']], mapping), /row 2: v "2x" is not a number/)
    assert.throws(() => mapRows(header, [['soon', '2']], mapping), /row 2: bad time "soon"/)
  })
})
