// The one instant the server tests call "now". The server decides "today" (operator days in
// UTC+8, report windows, the demo seed's scoring date) from the clock it is given; tests give it
// this fixed one, so a run that crosses 16:00 UTC (operator midnight) or a month end gives the same
// answer as any other run. Noon operator time, a few weeks after the demo book's reference date.
export const TEST_NOW = new Date('2026-11-20T04:00:00Z');

export const testClock = (): Date => TEST_NOW;
