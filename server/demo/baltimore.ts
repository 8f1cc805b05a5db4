/**
 * The demo tenant's places in Baltimore (data/osm/baltimore.osm.pbf covers the east of the
 * city and the port: Inner Harbor east to Dundalk). Coordinates [lng, lat] picked from the map;
 * the seed snaps them to the road network.
 */

export interface DemoPlace {
  name: string;
  lng: number;
  lat: number;
}

export const BALTIMORE_CENTER: [number, number] = [-76.565, 39.28];

/** Depots near the port and the industrial east side (DEPOT fences, circles of DEPOT_RADIUS_M). */
export const DEPOTS: DemoPlace[] = [
  { name: 'Seagirt Marine Terminal depot', lng: -76.5445, lat: 39.2625 },
  { name: 'Canton Industrial depot', lng: -76.5620, lat: 39.2715 },
  { name: 'Locust Point depot', lng: -76.5905, lat: 39.2705 },
  { name: 'Bayview depot', lng: -76.5435, lat: 39.2935 },
];
export const DEPOT_RADIUS_M = 120;

/** Customers the fleet delivers to (CHECKPOINT fences, circles of CUSTOMER_RADIUS_M, no alerts). */
export const CUSTOMERS: DemoPlace[] = [
  { name: 'Harbor East Market', lng: -76.5995, lat: 39.2835 },
  { name: 'Fells Point Grocers', lng: -76.5935, lat: 39.2825 },
  { name: 'Thames Street Bakery', lng: -76.5905, lat: 39.2810 },
  { name: 'Canton Square Deli', lng: -76.5750, lat: 39.2795 },
  { name: 'Boston Street Pharmacy', lng: -76.5700, lat: 39.2760 },
  { name: 'Brewers Hill Brewery', lng: -76.5655, lat: 39.2830 },
  { name: 'Highlandtown Hardware', lng: -76.5685, lat: 39.2895 },
  { name: 'Eastern Avenue Clinic', lng: -76.5790, lat: 39.2875 },
  { name: 'Patterson Park Café', lng: -76.5840, lat: 39.2905 },
  { name: 'Butchers Hill Florist', lng: -76.5890, lat: 39.2915 },
  { name: 'Johns Hopkins Supply Dock', lng: -76.5915, lat: 39.2985 },
  { name: 'Madison Street Laundry', lng: -76.5965, lat: 39.3000 },
  { name: 'Ellwood Park Market', lng: -76.5700, lat: 39.3005 },
  { name: 'Monument Street Foods', lng: -76.5800, lat: 39.3010 },
  { name: 'Greektown Taverna', lng: -76.5520, lat: 39.2880 },
  { name: 'Bayview Medical Center', lng: -76.5480, lat: 39.2905 },
  { name: 'Erdman Avenue Auto Parts', lng: -76.5600, lat: 39.3090 },
  { name: 'O’Donnell Heights Center', lng: -76.5480, lat: 39.2780 },
  { name: 'Holabird Avenue Warehouse', lng: -76.5370, lat: 39.2735 },
  { name: 'Dundalk Marine Terminal Gate', lng: -76.5300, lat: 39.2570 },
  { name: 'Broening Highway Logistics', lng: -76.5390, lat: 39.2660 },
  { name: 'Clinton Street Steel', lng: -76.5675, lat: 39.2700 },
  { name: 'Canton Waterfront Marina', lng: -76.5720, lat: 39.2735 },
  { name: 'Fort Avenue Diner', lng: -76.5960, lat: 39.2735 },
  { name: 'Locust Point Grain Terminal', lng: -76.5850, lat: 39.2660 },
  { name: 'Federal Hill Bistro', lng: -76.6060, lat: 39.2760 },
  { name: 'Little Italy Trattoria', lng: -76.6020, lat: 39.2860 },
  { name: 'Jonestown Print Shop', lng: -76.6050, lat: 39.2920 },
  { name: 'Baltimore Street Offices', lng: -76.6040, lat: 39.2895 },
  { name: 'Biddle Street Garage', lng: -76.5900, lat: 39.3040 },
];
export const CUSTOMER_RADIUS_M = 40;

/** Restricted zones: trucks must keep out (RESTRICTED_ZONE fences, alert on entry). */
export const RESTRICTED_ZONES: Array<{ name: string; ring: [number, number][] }> = [
  {
    name: 'Patterson Park — no through trucks',
    ring: [[-76.5850, 39.2880], [-76.5760, 39.2880], [-76.5760, 39.2925], [-76.5850, 39.2925], [-76.5850, 39.2880]],
  },
  {
    name: 'Fells Point historic district — no heavy vehicles',
    ring: [[-76.5950, 39.2810], [-76.5915, 39.2810], [-76.5915, 39.2830], [-76.5950, 39.2830], [-76.5950, 39.2810]],
  },
];

/** Routes with assigned vehicles: a depot, customers by index into CUSTOMERS, and a color. */
export const DEMO_ROUTES: Array<{ name: string; depot: number; customers: number[]; color: string; vehicles: number }> = [
  { name: 'Harbor East morning run', depot: 2, customers: [25, 26, 0, 1, 2, 23], color: '#2563eb', vehicles: 4 },
  { name: 'Canton & Highlandtown loop', depot: 1, customers: [4, 3, 5, 6, 7, 22], color: '#16a34a', vehicles: 4 },
  { name: 'Port & Bayview freight', depot: 0, customers: [20, 18, 17, 14, 15, 19], color: '#ea580c', vehicles: 3 },
];
