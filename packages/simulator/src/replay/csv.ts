/**
 * A small RFC 4180 CSV reader: a header row, comma-separated fields, double-quoted fields may hold commas, quotes
 * ("") and line breaks; CRLF or LF line ends. Rows whose field count differs from the header's are errors.
 */
import { ReplayInputError } from '../errors.ts'

export interface CsvTable {
  header: string[]
  rows: string[][]
}

export function parseCsv(text: string, source = 'CSV'): CsvTable {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  let i = 0
  const n = text.length
  while (i < n) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"' && field.length === 0) quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      record.push(field)
      field = ''
      if (record.length > 1 || record[0] !== '') records.push(record)
      record = []
      if (c === '\r' && text[i + 1] === '\n') i++
    } else field += c
    i++
  }
  if (quoted) throw new ReplayInputError(`${source}: unterminated quoted field`)
  if (field.length > 0 || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  const [header, ...rows] = records
  if (!header) throw new ReplayInputError(`${source}: no header row`)
  rows.forEach((row, index) => {
    if (row.length !== header.length) {
      throw new ReplayInputError(`${source}: row ${index + 2} has ${row.length} fields, the header ${header.length}`)
    }
  })
  return { header, rows }
}
