// EC2 Instance Connect lives in the ways-in control module (controls/ways-in.ts); this file only
// keeps the old import path for the export renderers.
export {INSTANCE_CONNECT_RULE, instanceConnectListName, noInstanceConnectList, wantsInstanceConnect} from './controls/ways-in.js';
