"""The output tables' derived columns."""

import numpy as np

from sim.core.io import leading_partner_index


def test_leading_partner_is_the_unique_positive_maximum():
    # states x powers, one run: a clear leader; a tie for first; nobody liked
    affinity = np.array([[0.2, 0.6, -0.1], [0.1, 0.1, 0.0], [-0.3, -0.2, -0.5]])[:, :, None]
    assert leading_partner_index(affinity)[:, 0].tolist() == [1, -1, -1]
