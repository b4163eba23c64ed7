package ledger

// TrainedIDs returns the ID numbers of the trainees counted as trained (trained=1)
// in the given versions, each with the content hash of the first version (in the
// order given) that trained them. Poor-household coverage (第三条) passes the
// latest versions of the classes whose latest verdict is a pass.
func (l *Ledger) TrainedIDs(contentHashes []string) (map[string]string, error) {
	out := map[string]string{}
	for _, h := range contentHashes {
		rows, err := l.db.Query(`SELECT id_number FROM trainees WHERE content_hash=? AND trained=1`, h)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if _, ok := out[id]; !ok {
				out[id] = h
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
