import { it } from 'vitest';
import { coarsenTimesInText } from '../engine/time-in-text';
it('probe', () => {
  for (const v of ['2026-12-05T10:11:12.123456789-08:00', ' 2026-12-05T10:11:12,123456Z', '"2026-12-05T10:11:12.345Z"', 'Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994', 'Sat Dec 05 2026 10:11:12 GMT+0000 (Coordinated Universal Time)', '2026-12-05 10:11:12.345 UTC', '10/Oct/2000:13:55:36 -0700', '2026-339T10:11:12.123456Z', '2026339T101112Z', '2026-W49-6T10:11:12.5Z', '20261205T101112.123456Z', 'at 2026/12/05 10:11:12 done', 'elapsed 00:01:23.456', 'uptime 12d 03:04:05', 'job 20240501-000042', '2024-01-15 10:30:00,123', 'Mon, 15 Jan 2024 10:30:00 GMT', 'user logged in 2026-12-05T23:59:60Z ok'])
    for (const p of [1000, 60000, 86400000, 7*86400000]) console.log(p, JSON.stringify(v), '=>', JSON.stringify(coarsenTimesInText(v, p)));
});
