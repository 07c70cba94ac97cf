//! The CLI's tables: Go's `tabwriter` with min width 10, padding 3, and the last column unpadded.

/// Lays out rows (the header first) as the docker CLI's tabwriter does.
pub fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0usize; columns];
    for row in rows {
        // The last cell of a row is not tab-terminated, so it does not size a column.
        for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
            widths[i] = widths[i].max((cell.chars().count() + 3).max(10));
        }
    }
    let mut text = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            text.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(cell.chars().count());
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn columns_are_at_least_ten_wide_and_the_last_is_not_padded() {
        assert_eq!(
            render(&[row(&["DRIVER", "VOLUME NAME"]), row(&["local", "myvol"])]),
            "DRIVER    VOLUME NAME\nlocal     myvol\n"
        );
    }

    #[test]
    fn a_long_cell_widens_its_column_by_three() {
        assert_eq!(
            render(&[row(&["A", "B"]), row(&["diamol/ch06-bind-mount", "x"])]),
            "A                        B\ndiamol/ch06-bind-mount   x\n"
        );
    }
}
