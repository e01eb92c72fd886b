export { type DataSpec, type Dataset, type Example, loadDataset, type Task } from './dataset';
export { DataError } from './errors';
export { formatOfFile, type Row, readTable, type Table, type TableFormat } from './read-table';
