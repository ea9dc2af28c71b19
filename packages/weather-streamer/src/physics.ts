/** Unit conversions and the few meteorological relations the sources need (SI in, SI out). */

export const KNOT_MPS = 0.514444
export const KMH_MPS = 1 / 3.6
export const STATUTE_MILE_M = 1609.344
export const INCH_MM = 25.4
export const INHG_HPA = 33.8639

// Magnus coefficients (Alduchov & Eskridge 1996), good to 0.1 % between -40 and 50 °C.
const MAGNUS_B = 17.625
const MAGNUS_C = 243.04

export function relativeHumidityPct(temperatureC: number, dewPointC: number): number {
  const rh =
    100 *
    Math.exp((MAGNUS_B * dewPointC) / (MAGNUS_C + dewPointC) - (MAGNUS_B * temperatureC) / (MAGNUS_C + temperatureC))
  return Math.min(100, Math.max(0, rh))
}

export function dewPointC(temperatureC: number, relativeHumidity: number): number {
  const gamma = Math.log(Math.max(relativeHumidity, 0.1) / 100) + (MAGNUS_B * temperatureC) / (MAGNUS_C + temperatureC)
  return Math.min(temperatureC, (MAGNUS_C * gamma) / (MAGNUS_B - gamma))
}

/** Station pressure from sea-level pressure and elevation (standard atmosphere, hPa in and out). */
export function stationPressureHpa(seaLevelHpa: number, elevationM: number): number {
  return seaLevelHpa * Math.pow(1 - 2.25577e-5 * elevationM, 5.25588)
}

/** Station pressure from an altimeter setting (QNH), the NWS formula (hPa, metres). */
export function stationPressureFromAltimeterHpa(altimeterHpa: number, elevationM: number): number {
  return Math.pow(Math.pow(altimeterHpa, 0.190263) - 8.417286e-5 * elevationM, 1 / 0.190263)
}

export function round(value: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

/** Great-circle distance in km. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return 12742 * Math.asin(Math.min(1, Math.sqrt(a)))
}
