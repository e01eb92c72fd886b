// The webview tests' view of the shared event fixture.
export { fixtureEvents, foldAll, sequence } from '../contract/fixture';
