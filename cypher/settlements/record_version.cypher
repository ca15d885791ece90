// Records the parameter version in force on a running day held by $owner, read once its fence is raised; no row otherwise.
MATCH (s:Settlement {day: $day, status: 'running', owner: $owner, planned: false})
SET s.params_version = $params_version, s.release_rate = $release_rate
RETURN s.day AS day
